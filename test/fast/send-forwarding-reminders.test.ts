/**
 * The city commissions' reminders of their own deliverables for one day, on the in-memory twins: both
 * plans and the demo roster loaded through the same use cases as `bangfu seed`, the real templates,
 * a fixed "now". Fujian's agreements: hospitals due Monday 21 February 2022, the city commissions'
 * forwarding due Monday 28 February (Fujian §三(一)), so the commissions' T-7 is the hospitals' T0.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createForwardingReminderRenderer } from '../../functions/adapters/email-renderer.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import {
  type ForwardingReminderPorts,
  sendForwardingReminders,
} from '../../functions/use-cases/send-forwarding-reminders.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';

const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);
const renderer = createForwardingReminderRenderer();
const CONSOLE = 'http://127.0.0.1:8080/staff';

const XIAMEN = 'fj-2021~fj-xiamen-health-commission#agreement-forwarding#2022';
const FUJIAN_AGREEMENT_FORWARDINGS = [
  'fj-2021~fj-fuzhou-health-commission#agreement-forwarding#2022',
  'fj-2021~fj-quanzhou-health-commission#agreement-forwarding#2022',
  XIAMEN,
  'fj-2021~fj-zhangzhou-health-commission#agreement-forwarding#2022',
];

let store: MemoryStore;
let mailer: MemoryMailer;

beforeEach(async () => {
  store = await seededMemoryStore();
  mailer = new MemoryMailer();
});

function tick(day: string, overrides: Partial<ForwardingReminderPorts> = {}) {
  return sendForwardingReminders(
    {
      store,
      mailer,
      renderer,
      calendar: prcCalendar,
      clock: () => nineOclock(day),
      leaseClock: new TestLeaseClock(nineOclock(day)),
      sender: 'bangfu@example.org',
      runId: `run-${Math.random().toString(36).slice(2)}`,
      consoleLink: (f) => `${CONSOLE}/programmes/${f.programmeId}/pairings?kind=${f.forwards}&year=${f.year}`,
      options: { claimLeaseMs: 120_000 },
      ...overrides,
    },
    day,
  );
}

const fujianMessages = (result: Awaited<ReturnType<typeof tick>>) =>
  result.messages.filter((m) => m.obligationId.startsWith('fj-2021~'));
const emailOf = (messageId: string | undefined) => mailer.sent.find((m) => m.messageId === messageId);

describe('Fujian §三(一): the city commissions’ T-7 on Monday 21 February 2022', () => {
  it('reminds each collecting city commission of its 28 February forwarding, to its own contacts', async () => {
    const result = await tick('2022-02-21');
    const fujian = fujianMessages(result);
    expect(fujian.map((m) => m.obligationId).sort()).toEqual(FUJIAN_AGREEMENT_FORWARDINGS);
    expect(fujian.every((m) => m.stage === 'T-7')).toBe(true);
    const xiamen = fujian.find((m) => m.obligationId === XIAMEN);
    expect(xiamen?.to).toEqual(['fj-xiamen-health-commission@example.org']);
    expect(xiamen?.cc).toEqual([]);
    expect(result).toMatchObject({
      failed: [],
      rejected: [],
      unconfirmed: [],
      suppressed: [],
      noContacts: [],
    });
  });

  it('says which programme and deliverable, the due date with its weekday, the progress and the console link', async () => {
    // One of Xiamen's hospitals uploaded already and was accepted; another uploaded and waits for review.
    await store.recordObligationFacts('fj-2021.fj-huaan-county-hospital', 'agreement', 2022, {
      submittedAt: '2022-02-15T02:00:00.000Z',
      review: { outcome: 'accepted', at: '2022-02-16T02:00:00.000Z' },
    });
    await store.recordObligationFacts('fj-2021.fj-zhaoan-county-hospital', 'agreement', 2022, {
      submittedAt: '2022-02-18T02:00:00.000Z',
    });
    const result = await tick('2022-02-21');
    const email = emailOf(result.messages.find((m) => m.obligationId === XIAMEN)?.messageId);
    expect(email?.subject).toBe(
      '【对口帮扶报送提醒】辖区对口帮扶协议书汇总报送（2022年）还有 7 天截止｜厦门市卫生健康委员会',
    );
    expect(email?.text).toContain('福建省“十四五”时期三级医院对口帮扶县级医院工作方案');
    expect(email?.text).toContain('北京时间 2022年2月28日（星期一）24:00 前');
    expect(email?.text).toContain('接收单位：福建省卫生健康委员会');
    expect(email?.text).toContain('共 7 个帮扶关系：已审核通过 1 个，已提交待审核 1 个，未完成提交 5 个。');
    expect(email?.text).not.toContain('- 华安县医院');
    expect(email?.text).toContain(`${CONSOLE}/programmes/fj-2021/pairings?kind=agreement&year=2022`);
    expect(email?.html).toContain('审核并报送');
    expect(email?.headers).toMatchObject({ 'X-Bangfu-Obligation': XIAMEN, 'X-Bangfu-Stage': 'T-7' });
  });

  it('logs each address once under the commission’s collection, at the commission level', async () => {
    await tick('2022-02-21');
    const log = (await store.remindersOfProgramme('fj-2021')).filter((r) => r.obligationId === XIAMEN);
    expect(log).toEqual([
      expect.objectContaining({
        pairingId: 'fj-2021~fj-xiamen-health-commission',
        level: 'commission',
        kind: 'agreement-forwarding',
        year: 2022,
        stage: 'T-7',
        email: 'fj-xiamen-health-commission@example.org',
        field: 'to',
        status: 'sent',
      }),
    ]);
  });

  it('a rerun of the day sends nothing', async () => {
    const first = await tick('2022-02-21');
    const sent = mailer.sent.length;
    const again = await tick('2022-02-21');
    expect(again.messages).toEqual([]);
    expect(again.alreadySent).toBe(first.messages.reduce((n, m) => n + m.to.length + m.cc.length, 0));
    expect(mailer.sent).toHaveLength(sent);
  });

  it('a commission that has forwarded gets no reminder; the others still do', async () => {
    await store.recordForwardingFacts(
      {
        programmeId: 'fj-2021',
        commissionId: 'fj-xiamen-health-commission',
        kind: 'agreement-forwarding',
        year: 2022,
      },
      {
        submittedAt: '2022-02-20T08:00:00.000Z',
        forwarded: { by: 'xiamen-staff', accepted: [], outstanding: [] },
      },
    );
    const result = await tick('2022-02-21');
    const ids = fujianMessages(result).map((m) => m.obligationId);
    expect(ids).not.toContain(XIAMEN);
    expect(ids).toHaveLength(3);
  });
});

describe('Fujian §三(一): after 28 February the province is copied', () => {
  it('T+1 on Tuesday 1 March 2022 goes to the late city commission with the provincial commission in copy', async () => {
    const result = await tick('2022-03-01');
    const xiamen = result.messages.find((m) => m.obligationId === XIAMEN);
    expect(xiamen?.stage).toBe('T+1');
    expect(xiamen?.to).toEqual(['fj-xiamen-health-commission@example.org']);
    expect(xiamen?.cc.sort()).toEqual(
      ['fj-provincial-commission.lead@example.org', 'fj-provincial-commission@example.org'].sort(),
    );
    const email = emailOf(xiamen?.messageId);
    expect(email?.subject).toContain('【逾期督办】');
    expect(email?.text).toContain('已逾期 1 天');
    expect(email?.text).toContain('抄送福建省卫生健康委员会');
  });
});
