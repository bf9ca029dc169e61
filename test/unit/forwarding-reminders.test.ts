import { beforeAll, describe, expect, it } from 'vitest';
import {
  forwardingProgress,
  forwardingReminderAudience,
  forwardingReminderView,
} from '../../functions/domain/forwarding-reminders.ts';
import type { Forwarding, Obligation, Pairing, Programme } from '../../functions/domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../../functions/domain/pairings.ts';
import { partyResolver } from '../../functions/domain/parties.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import type { ObligationWithRecord } from '../../functions/domain/records.ts';
import { reminderSchedule } from '../../functions/domain/reminder-schedule.ts';
import { reminderAudience } from '../../functions/domain/reminders.ts';
import { forwardingsOf } from '../../functions/domain/reporting-chain.ts';
import { obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';

let directory: InstitutionDirectory;
let fujian: Programme;
let pairings: Pairing[];
let forwardings: Forwarding[];

beforeAll(async () => {
  const planned = planSeeds(await readSeedFiles());
  directory = institutionDirectory(planned.institutions);
  const fj = planned.programmes.find((p) => p.programme.id === 'fj-2021');
  if (!fj) throw new Error('fj-2021 missing from the seeds');
  fujian = fj.programme;
  pairings = fj.pairings;
  forwardings = forwardingsOf(fujian, pairings, directory);
});

const nameOf = (id: string) => directory.byId.get(id)?.name ?? id;
const pairingOf = (recipient: string) => pairings.find((p) => nameOf(p.recipientId) === recipient) as Pairing;
const agreementOf = (pairing: Pairing) =>
  obligationsOfPairing(fujian, pairing, directory, prcCalendar).find(
    (o) => o.kind === 'agreement' && o.year === 2022,
  ) as Obligation;
const xiamenAgreements = () =>
  forwardings.find(
    (f) => f.commissionId === 'fj-xiamen-health-commission' && f.kind === 'agreement-forwarding',
  ) as Forwarding;
const sendOf = (due: string, stage: string) => {
  const send = reminderSchedule(due, fujian.reminderStages, prcCalendar).find((s) => s.stage === stage);
  if (!send) throw new Error(stage);
  return send;
};

describe('Fujian §三(一): who a city commission’s reminder of its own forwarding goes to', () => {
  it('before 28 February: the collecting city commission alone', () => {
    const audience = forwardingReminderAudience(
      fujian,
      xiamenAgreements(),
      sendOf('2022-02-28', 'T-7'),
      directory,
    );
    expect(audience.to.map((i) => i.name)).toEqual(['厦门市卫生健康委员会']);
    expect(audience.cc).toEqual([]);
  });

  it('once 28 February has passed the provincial commission is copied: the province when a city is late', () => {
    const send = sendOf('2022-02-28', 'T+1');
    expect(send.sendOn).toBe('2022-03-01');
    const audience = forwardingReminderAudience(fujian, xiamenAgreements(), send, directory);
    expect(audience.to.map((i) => i.name)).toEqual(['厦门市卫生健康委员会']);
    expect(audience.cc.map((i) => i.name)).toEqual(['福建省卫生健康委员会']);
    expect(audience.escalatedTo.map((i) => i.name)).toEqual(['福建省卫生健康委员会']);
  });
});

describe('Fujian §三(一): a pairing’s own escalation goes to the commission that collects it', () => {
  it('a city-routed pairing past its hospitals’ date (21 February) escalates to its collecting city commission', () => {
    const huaan = agreementOf(pairingOf('华安县医院'));
    expect(huaan.dueDate).toBe('2022-02-21');
    const rule = fujian.obligationKinds.find((k) => k.kind === 'agreement');
    if (!rule) throw new Error('agreement');
    const send = sendOf(huaan.dueDate, 'T+1');
    expect(send.sendOn).toBe('2022-02-22');
    const audience = reminderAudience(rule, send, partyResolver(fujian, pairingOf('华安县医院'), directory));
    expect(audience.escalatedTo.map((i) => i.id)).toEqual([huaan.collectorId]);
    expect(huaan.collectorId).toBe('fj-xiamen-health-commission');
  });

  it('a pairing whose lead is provincially managed has no city: it escalates to the province, never to its lead’s city commission', () => {
    const songxi = pairingOf('松溪县医院');
    const obligation = agreementOf(songxi);
    // 福建省立医院 sits in 福州市 but reports to the province directly, by the plan's own date.
    expect(nameOf(songxi.leadSupporterId)).toBe('福建省立医院');
    expect(obligation.collectorId).toBe(fujian.provincialCommissionId);
    expect(obligation.dueDate).toBe('2022-02-28');
    const rule = fujian.obligationKinds.find((k) => k.kind === 'agreement');
    if (!rule) throw new Error('agreement');
    const parties = partyResolver(fujian, songxi, directory);
    const afterDue = reminderAudience(rule, sendOf(obligation.dueDate, 'T+1'), parties);
    const everyone = [...afterDue.to, ...afterDue.cc].map((i) => i.id);
    expect(afterDue.escalatedTo.map((i) => i.id)).toEqual(['fj-provincial-commission']);
    expect(everyone).not.toContain('fj-fuzhou-health-commission');
    expect(everyone.filter((id) => directory.byId.get(id)?.type === 'city-health-commission')).toEqual([]);
  });

  it('no city commission collects a direct pairing: none has a forwarding naming it', () => {
    const songxi = pairingOf('松溪县医院');
    expect(forwardings.filter((f) => f.pairingIds.includes(songxi.id))).toEqual([]);
  });
});

describe('Fujian §三(一): what the city commission is told of its pairings', () => {
  const at = new Date(startOfBeijingDay('2022-02-21').getTime() + 9 * 3600_000);

  it('counts the agreements of its pairings as accepted, awaiting review or outstanding, at the instant', () => {
    const forwarding = xiamenAgreements();
    const [accepted, submitted, returned] = forwarding.pairingIds;
    const obligations: ObligationWithRecord[] = pairings.flatMap((p) =>
      obligationsOfPairing(fujian, p, directory, prcCalendar).map((obligation) => ({
        obligation,
        record:
          p.id === accepted
            ? {
                submittedAt: '2022-02-10T02:00:00.000Z',
                review: { outcome: 'accepted' as const, at: '2022-02-11T02:00:00.000Z' },
              }
            : p.id === submitted
              ? { submittedAt: '2022-02-18T02:00:00.000Z' }
              : p.id === returned
                ? {
                    submittedAt: '2022-02-15T02:00:00.000Z',
                    review: {
                      outcome: 'returned' as const,
                      at: '2022-02-16T02:00:00.000Z',
                      reason: '未盖章',
                    },
                  }
                : {},
      })),
    );
    const progress = forwardingProgress(forwarding, obligations, at);
    expect(progress).toMatchObject({ total: 7, accepted: 1, awaitingReview: 1, outstanding: 5, exempt: 0 });
    expect(progress.outstandingPairings.find((p) => p.pairingId === returned)?.state).toBe('returned');
    // The annual reports of the same pairings are another forwarding's business.
    expect(progress.outstandingPairings.every((p) => forwarding.pairingIds.includes(p.pairingId))).toBe(true);

    const send = sendOf('2022-02-28', 'T-7');
    const view = forwardingReminderView({
      programme: fujian,
      rule: fujian.reportingChain.forwardings[0] as Programme['reportingChain']['forwardings'][number],
      forwarding,
      send,
      day: '2022-02-21',
      at,
      audience: forwardingReminderAudience(fujian, forwarding, send, directory),
      progress,
      pairings: new Map(pairings.map((p) => [p.id, p])),
      nameOf,
    });
    expect(view.forwarding).toMatchObject({
      title: '辖区对口帮扶协议书汇总报送',
      forwardsTitle: '对口帮扶协议书',
      dueDateZh: '2022年2月28日',
      dueWeekdayZh: '星期一',
      citation: `${fujian.name} 三、（一）`,
    });
    expect(view.stage).toMatchObject({ daysLeft: 7, urgencyZh: '还有 7 天截止', afterDue: false });
    expect(view.outstanding).toHaveLength(5);
    expect(view.outstanding.map((o) => o.recipient)).toContain('华安县医院');
    expect(view.asOf).toBe('2022-02-21 09:00');
  });
});
