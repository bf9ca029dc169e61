/**
 * The status documents' section on the reporting chain's second level (domain/reports/forwardings.ts),
 * built from both plans as seeded, with the city commissions' forwardings derived as `bangfu seed`
 * derives them and facts given per forwarding and per obligation.
 */
import { describe, expect, it } from 'vitest';
import type { ForwardingRecord, ObligationRecord, Pairing, Programme } from '../../functions/domain/model.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import { forwardingId, forwardingsOf } from '../../functions/domain/reporting-chain.ts';
import { agreementStatusView } from '../../functions/domain/reports/agreement-status.ts';
import { annualSummaryView } from '../../functions/domain/reports/annual-summary.ts';
import { forwardingReportState } from '../../functions/domain/reports/forwardings.ts';
import type { ReportSnapshot } from '../../functions/domain/reports/snapshot.ts';
import { obligationId, obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';
import institutionsFile from '../../seeds/institutions.json' with { type: 'json' };
import fujianFile from '../../seeds/programmes/fj-2021.json' with { type: 'json' };
import jiangsuFile from '../../seeds/programmes/js-2022.json' with { type: 'json' };

const planned = planSeeds({
  institutions: { name: 'seeds/institutions.json', content: institutionsFile },
  programmes: [
    { name: 'seeds/programmes/fj-2021.json', content: fujianFile },
    { name: 'seeds/programmes/js-2022.json', content: jiangsuFile },
  ],
});
const FJ = planned.programmes.find((p) => p.programme.id === 'fj-2021') as {
  programme: Programme;
  pairings: Pairing[];
};
const directory = institutionDirectory(planned.institutions);
const FORWARDINGS = forwardingsOf(FJ.programme, FJ.pairings, directory);

/** Beijing wall-clock time → instant. */
const bj = (local: string) => new Date(`${local}+08:00`);

const XIAMEN = 'fj-xiamen-health-commission';
const FUZHOU = 'fj-fuzhou-health-commission';
const QUANZHOU = 'fj-quanzhou-health-commission';
const ZHANGZHOU = 'fj-zhangzhou-health-commission';
const SONGXI = 'fj-2021.fj-songxi-county-hospital';
const agreementForwarding = (commissionId: string) =>
  forwardingId('fj-2021', commissionId, 'agreement-forwarding', 2022);
const pairingsOf = (commissionId: string) =>
  FORWARDINGS.find((f) => f.id === agreementForwarding(commissionId))?.pairingIds ?? [];

function snapshotOf(options: {
  obligations?: Record<string, ObligationRecord>;
  forwardings?: Record<string, ForwardingRecord>;
  at: Date;
}): ReportSnapshot {
  return {
    programme: FJ.programme,
    institutions: planned.institutions,
    pairings: FJ.pairings,
    obligations: FJ.pairings
      .flatMap((pairing) => obligationsOfPairing(FJ.programme, pairing, directory, prcCalendar))
      .map((obligation) => ({ obligation, record: options.obligations?.[obligation.id] ?? {} })),
    forwardings: FORWARDINGS.map((forwarding) => ({
      forwarding,
      record: options.forwardings?.[forwarding.id] ?? {},
    })),
    submissions: [],
    reminders: [],
    at: options.at,
    generatedAt: bj('2022-12-31T12:00:00'),
  };
}

describe('the agreement status’s 各设区市转报情况 (Fujian §三(一): cities forward by 28 Feb, 省属 directly)', () => {
  it('has one row per collecting city commission and the direct pairings as their own row', () => {
    const view = agreementStatusView(snapshotOf({ at: bj('2022-02-25T09:00:00') }));
    expect(
      view.chain.rows.map((r) => [r.commission, r.pairings, r.pairingDueDates, r.dueDate, r.state]),
    ).toEqual([
      ['福州市卫生健康委员会', 4, ['2022-02-21'], '2022-02-28', 'not-forwarded'],
      ['泉州市卫生健康委员会', 1, ['2022-02-21'], '2022-02-28', 'not-forwarded'],
      ['厦门市卫生健康委员会', 7, ['2022-02-21'], '2022-02-28', 'not-forwarded'],
      ['漳州市卫生健康委员会', 1, ['2022-02-21'], '2022-02-28', 'not-forwarded'],
    ]);
    expect(view.chain.direct).toEqual({
      pairings: 21,
      accepted: 0,
      awaitingReview: 0,
      outstanding: 21,
      pairingDueDates: ['2022-02-28'],
    });
    expect(view.chain.dueDates).toEqual(['2022-02-28']);
  });

  it('shows each pairing’s own due date: the hospitals’ 21 Feb under a city, the plan’s 28 Feb when direct', () => {
    const view = agreementStatusView(snapshotOf({ at: bj('2022-02-25T09:00:00') }));
    const rows = view.cities.flatMap((c) => c.counties.flatMap((county) => county.rows));
    const [xiamenPairing] = pairingsOf(XIAMEN);
    expect(rows.find((r) => r.pairingId === xiamenPairing)?.dueDate).toBe('2022-02-21');
    expect(rows.find((r) => r.pairingId === SONGXI)?.dueDate).toBe('2022-02-28');
    expect(view.dueDates).toEqual(['2022-02-21', '2022-02-28']);
  });

  it('tells a city that forwarded on time from a late one, one never forwarded and a returned one', () => {
    const [accepted, awaiting] = pairingsOf(XIAMEN);
    const view = agreementStatusView(
      snapshotOf({
        at: bj('2022-03-02T09:00:00'),
        obligations: {
          [obligationId(accepted as string, 'agreement', 2022)]: {
            submittedAt: bj('2022-02-18T10:00:00').toISOString(),
            review: { outcome: 'accepted', at: bj('2022-02-22T10:00:00').toISOString() },
          },
          [obligationId(awaiting as string, 'agreement', 2022)]: {
            submittedAt: bj('2022-02-21T15:00:00').toISOString(),
          },
        },
        forwardings: {
          [agreementForwarding(XIAMEN)]: { submittedAt: bj('2022-02-28T17:30:00').toISOString() },
          // Zhangzhou forwards the morning after the plan's date: late.
          [agreementForwarding(ZHANGZHOU)]: { submittedAt: bj('2022-03-01T08:30:00').toISOString() },
          [agreementForwarding(FUZHOU)]: {
            submittedAt: bj('2022-02-26T10:00:00').toISOString(),
            review: {
              outcome: 'returned',
              at: bj('2022-02-27T10:00:00').toISOString(),
              reason: '缺少盖章页',
            },
          },
        },
      }),
    );
    const byId = new Map(view.chain.rows.map((r) => [r.commissionId, r]));
    expect(byId.get(XIAMEN)).toMatchObject({
      state: 'on-time',
      forwardedOn: '2022-02-28',
      pairings: 7,
      accepted: 1,
      awaitingReview: 1,
      outstanding: 5,
    });
    expect(byId.get(ZHANGZHOU)).toMatchObject({ state: 'late', forwardedOn: '2022-03-01' });
    expect(byId.get(FUZHOU)).toMatchObject({ state: 'returned', returnedReason: '缺少盖章页' });
    expect(byId.get(FUZHOU)).not.toHaveProperty('forwardedOn');
    expect(byId.get(QUANZHOU)).toMatchObject({ state: 'overdue' });
    expect(byId.get(QUANZHOU)).not.toHaveProperty('forwardedOn');
    expect(view.chain.counts).toMatchObject({
      total: 4,
      'on-time': 1,
      late: 1,
      returned: 1,
      overdue: 1,
      'not-forwarded': 0,
    });
  });

  it('leaves out a forwarding made after the instant the document describes', () => {
    const view = agreementStatusView(
      snapshotOf({
        at: bj('2022-02-25T09:00:00'),
        forwardings: {
          [agreementForwarding(XIAMEN)]: { submittedAt: bj('2022-02-26T10:00:00').toISOString() },
        },
      }),
    );
    const xiamen = view.chain.rows.find((r) => r.commissionId === XIAMEN);
    expect(xiamen?.state).toBe('not-forwarded');
    expect(xiamen).not.toHaveProperty('forwardedOn');
  });

  it.each([
    ['forwarded before the deadline and accepted', bj('2022-02-28T12:00:00'), 'accepted', 'on-time'],
    ['forwarded after the deadline and accepted', bj('2022-03-01T12:00:00'), 'accepted', 'late'],
    ['forwarded after the deadline, not yet reviewed', bj('2022-03-01T12:00:00'), undefined, 'late'],
  ] as const)('counts a forwarding %s as %s', (_what, forwardedAt, outcome, expected) => {
    const forwarding = FORWARDINGS.find((f) => f.id === agreementForwarding(XIAMEN));
    if (!forwarding) throw new Error('no Xiamen forwarding in the seeds');
    const record: ForwardingRecord = {
      submittedAt: forwardedAt.toISOString(),
      ...(outcome ? { review: { outcome, at: bj('2022-03-05T09:00:00').toISOString() } } : {}),
    };
    expect(forwardingReportState(forwarding, record, bj('2022-03-10T09:00:00'))).toBe(expected);
  });
});

describe('the annual summary’s 各设区市转报情况 (Fujian §三(二): cities report their evaluation by 10 Dec)', () => {
  it('has the year’s evaluation per city with the hospitals’ date, and the direct pairings on 10 Dec', () => {
    const view = annualSummaryView(
      snapshotOf({
        at: bj('2022-12-12T09:00:00'),
        forwardings: {
          [forwardingId('fj-2021', XIAMEN, 'annual-evaluation', 2022)]: {
            submittedAt: bj('2022-12-09T16:00:00').toISOString(),
          },
          // Another year's evaluation is not this year's row.
          [forwardingId('fj-2021', FUZHOU, 'annual-evaluation', 2023)]: {
            submittedAt: bj('2022-12-09T16:00:00').toISOString(),
          },
        },
      }),
      2022,
    );
    expect(view.planDueDate).toBe('2022-12-10');
    expect(view.dueDates).toEqual(['2022-12-02', '2022-12-10']);
    expect(view.chain.rows.map((r) => [r.commissionId, r.state, r.pairingDueDates, r.dueDate])).toEqual([
      [FUZHOU, 'overdue', ['2022-12-02'], '2022-12-10'],
      [QUANZHOU, 'overdue', ['2022-12-02'], '2022-12-10'],
      [XIAMEN, 'on-time', ['2022-12-02'], '2022-12-10'],
      [ZHANGZHOU, 'overdue', ['2022-12-02'], '2022-12-10'],
    ]);
    expect(view.chain.direct).toMatchObject({ pairings: 21, pairingDueDates: ['2022-12-10'] });
  });
});
