/**
 * The reminder tick for one day on the in-memory twins: both plans and the demo roster loaded through
 * the same use cases as `bangfu seed`, the real templates, a fixed "now" and a lease clock the test
 * moves. The embedded stack runs the same days in test/integration/tick-*.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createReminderRenderer } from '../../functions/adapters/email-renderer.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import type { OutboundEmail } from '../../functions/domain/email.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import type { Mailer } from '../../functions/use-cases/ports.ts';
import { type ReminderPorts, sendDueReminders } from '../../functions/use-cases/send-due-reminders.ts';
import { leaveDispatchedByDeadRun } from '../support/dead-run.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';

const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);
const LEASE_MS = 120_000;
const renderer = createReminderRenderer();

let store: MemoryStore;
let mailer: MemoryMailer;
let leaseClock: TestLeaseClock;

beforeEach(async () => {
  store = await seededMemoryStore();
  mailer = new MemoryMailer();
  leaseClock = new TestLeaseClock(nineOclock('2022-02-21'));
});

/** The tick of `day` at 09:00 Beijing time, as run `runId`. */
function tick(day: string, overrides: Partial<ReminderPorts> = {}) {
  return sendDueReminders(
    {
      store,
      mailer,
      renderer,
      calendar: prcCalendar,
      clock: () => nineOclock(day),
      leaseClock,
      sender: 'bangfu@example.org',
      runId: `run-${Math.random().toString(36).slice(2)}`,
      options: { claimLeaseMs: LEASE_MS },
      ...overrides,
    },
    day,
  );
}

/** Each (obligation, stage, address) the mailer accepted, with how many times. */
function deliveries() {
  const counts = new Map<string, number>();
  for (const m of mailer.sent.filter((x) => x.headers['X-Bangfu-Stage']?.startsWith('T'))) {
    for (const address of [...m.to, ...m.cc]) {
      const key = `${m.headers['X-Bangfu-Obligation']} ${m.headers['X-Bangfu-Stage']} ${address}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** A mailer that dies after `n` sends: every later call hangs forever, as in a process that froze. */
function dyingAfter(n: number, real: Mailer): Mailer & { sent: number; hanging: number } {
  const mailer = {
    sent: 0,
    hanging: 0,
    async send(email: OutboundEmail, hooks?: { onDispatch?: () => Promise<void> }) {
      if (mailer.sent >= n) {
        mailer.hanging++;
        return new Promise<never>(() => undefined);
      }
      mailer.sent++;
      return real.send(email, hooks);
    },
  };
  return mailer;
}

const HUAAN = 'fj-2021.fj-huaan-county-hospital#agreement#2022';

/**
 * Fujian §三(一): pairings reporting through a city commission owe it their scans five working days
 * before its 28 February (Monday 21 February, their T0); those led by a provincially managed hospital
 * send to the province directly by 28 February (their T-7 on the same Monday).
 */
const DIRECT_AGREEMENTS = 21 + 6;
const THROUGH_A_CITY = 13 + 23;

describe('the tick of Monday 21 February 2022 (Fujian §三(一): T0 of the hospitals reporting to a city, T-7 of those reporting directly)', () => {
  it('sends the stage due that day for every agreement once, and a rerun sends nothing', async () => {
    const result = await tick('2022-02-21');
    expect(result.messages).toHaveLength(DIRECT_AGREEMENTS + THROUGH_A_CITY);
    expect(result.messages.every((m) => m.obligationId.endsWith('#agreement#2022'))).toBe(true);
    expect(result.messages.filter((m) => m.stage === 'T0')).toHaveLength(THROUGH_A_CITY);
    expect(result.messages.filter((m) => m.stage === 'T-7')).toHaveLength(DIRECT_AGREEMENTS);
    expect(result).toMatchObject({ failed: [], rejected: [], unconfirmed: [], suppressed: [] });
    expect(mailer.sent).toHaveLength(63);

    const again = await tick('2022-02-21');
    expect(again.messages).toEqual([]);
    expect(again.alreadySent).toBe([...deliveries().keys()].length);
    expect([...deliveries().values()].every((n) => n === 1)).toBe(true);
  });

  it('before the due date: the lead supporter, the recipient and its county government', async () => {
    const result = await tick('2022-02-21');
    const [huaan] = result.messages.filter((m) => m.obligationId === HUAAN);
    expect(huaan?.to.sort()).toEqual(
      [
        'fj-huaan-county-government@example.org',
        'fj-huaan-county-hospital@example.org',
        'fj-xmu-first-affiliated-hospital@example.org',
      ].sort(),
    );
    const email = mailer.sent.find((m) => m.messageId === huaan?.messageId);
    expect(email?.subject).toContain('华安县医院');
    // Huaan's lead supporter is a Xiamen city hospital: its scans are due to 厦门市卫健委 that day.
    expect(email?.text).toContain('今天截止');
  });

  it('logs every address as sent, with the message it went out in', async () => {
    await tick('2022-02-21');
    const log = await store.remindersOfProgramme('fj-2021');
    expect(log.length).toBeGreaterThan(34 * 3);
    for (const record of log) {
      expect(record).toMatchObject({ status: 'sent', day: '2022-02-21' });
      expect(['T0', 'T-7']).toContain(record.stage);
      const email = mailer.sent.find((m) => m.messageId === record.messageId);
      expect([...(email?.to ?? []), ...(email?.cc ?? [])]).toContain(record.email);
    }
  });

  it('an obligation submitted since gets no reminder', async () => {
    await store.recordObligationFacts('fj-2021.fj-huaan-county-hospital', 'agreement', 2022, {
      submittedAt: '2022-02-18T02:00:00.000Z',
    });
    const result = await tick('2022-02-21');
    expect(result.messages).toHaveLength(62);
    expect(result.messages.some((m) => m.obligationId === HUAAN)).toBe(false);
  });
});

describe('a tick after a run that died', () => {
  it('sends what the dead run had not handed to SES, each address once, without waiting out a lease', async () => {
    const dying = dyingAfter(10, mailer);
    // Never finishes: it "died" with one send stuck in each of its eight workers.
    void tick('2022-02-21', { mailer: dying });
    await vi.waitFor(() => expect(dying.hanging).toBe(8));
    expect(mailer.sent).toHaveLength(10);

    // Its stuck sends were waiting their turn under the SES rate: claims are taken only after that.
    const rerun = await tick('2022-02-21');
    expect(rerun.messages).toHaveLength(63 - 10);
    expect([...deliveries().values()].every((n) => n === 1)).toBe(true);
    expect(new Set(mailer.sent.map((m) => m.headers['X-Bangfu-Obligation'])).size).toBe(63);

    const third = await tick('2022-02-21');
    expect(third.messages).toEqual([]);
  });
});

describe('a message a dead run had handed to SES', () => {
  const handedOver = 'fj-huaan-county-hospital@example.org';

  it('is reported as unconfirmed by every later tick and never sent again', async () => {
    await leaveDispatchedByDeadRun(
      store,
      {
        programmeId: 'fj-2021',
        pairingId: 'fj-2021.fj-huaan-county-hospital',
        obligationId: HUAAN,
        kind: 'agreement',
        year: 2022,
        stage: 'T0',
        day: '2022-02-21',
        email: handedOver,
        institutionId: 'fj-huaan-county-hospital',
        field: 'to',
      },
      leaseClock.now(),
    );

    const tickResult = await tick('2022-02-21');
    expect(tickResult.unconfirmed).toEqual([{ obligationId: HUAAN, stage: 'T0', email: handedOver }]);
    // The others on that reminder still get it; only the unconfirmed address is left out.
    const huaan = tickResult.messages.filter((m) => m.obligationId === HUAAN);
    expect(huaan).toHaveLength(1);
    expect(huaan[0]?.to).toContain('fj-xmu-first-affiliated-hospital@example.org');
    expect([...(huaan[0]?.to ?? []), ...(huaan[0]?.cc ?? [])]).not.toContain(handedOver);
    expect(tickResult.messages).toHaveLength(63);

    const again = await tick('2022-02-21');
    expect(again.messages).toEqual([]);
    expect(again.unconfirmed).toEqual([{ obligationId: HUAAN, stage: 'T0', email: handedOver }]);
    const counts = deliveries();
    expect(counts.get(`${HUAAN} T0 ${handedOver}`)).toBeUndefined();
    expect(counts.get(`${HUAAN} T0 fj-xmu-first-affiliated-hospital@example.org`)).toBe(1);
  });
});
