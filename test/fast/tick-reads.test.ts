/**
 * What the daily tick's reminder steps read, counted on the in-memory twin: both plans and the demo
 * roster loaded as by `bangfu seed`, every store call recorded by a proxy (calls the store makes to
 * itself are not counted). A quiet day reads the due indexes and nothing else; a busy day reads each
 * institution's contacts once, however the due obligations are paged.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createForwardingReminderRenderer,
  createReminderRenderer,
} from '../../functions/adapters/email-renderer.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { sendTickReminders } from '../../functions/use-cases/run-tick.ts';
import type { ReminderOptions } from '../../functions/use-cases/send-due-reminders.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';

const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);

interface Call {
  method: string;
  args: unknown[];
}

/** The store, with each call from outside it recorded in `calls`. */
function counting(target: MemoryStore): { store: MemoryStore; calls: Call[] } {
  const calls: Call[] = [];
  const store = new Proxy(target, {
    get(t, property, receiver) {
      const value = Reflect.get(t, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), args });
        return value.apply(t, args);
      };
    },
  });
  return { store, calls };
}

let seeded: MemoryStore;
let mailer: MemoryMailer;

beforeEach(async () => {
  seeded = await seededMemoryStore();
  mailer = new MemoryMailer();
});

/** Both reminder steps of `day` at 09:00 Beijing time, as the daily tick runs them; the calls made. */
async function tick(day: string, options: Partial<ReminderOptions> = {}) {
  const { store, calls } = counting(seeded);
  const common = {
    store,
    mailer,
    calendar: prcCalendar,
    clock: () => nineOclock(day),
    leaseClock: new TestLeaseClock(nineOclock(day)),
    sender: 'bangfu@example.org',
    runId: `run-${Math.random().toString(36).slice(2)}`,
    options: { claimLeaseMs: 120_000, ...options },
  };
  const result = await sendTickReminders(
    {
      reminders: { ...common, renderer: createReminderRenderer() },
      forwardingReminders: { ...common, renderer: createForwardingReminderRenderer() },
    },
    day,
  );
  return { ...result, calls };
}

const called = (calls: readonly Call[], method: string) => calls.filter((c) => c.method === method);

/** Every institution whose contacts were read, once for each time it was. */
const contactReads = (calls: readonly Call[]) =>
  calls.flatMap((c) =>
    c.method === 'contactsOf'
      ? [c.args[0] as string]
      : c.method === 'contactsOfMany'
        ? [...(c.args[0] as string[])]
        : [],
  );

describe('a quiet day: Friday 15 July 2022, between the agreements (Fujian §三(一)) and the annual reports (§三(二))', () => {
  it('reads the programmes once and the due indexes, and no institution, pairing or contact', async () => {
    const { reminders, forwardings, calls } = await tick('2022-07-15');
    expect(reminders.due + forwardings.due).toBe(0);
    expect(called(calls, 'listProgrammes')).toHaveLength(1);
    expect(new Set(calls.map((c) => c.method))).toEqual(
      new Set(['listProgrammes', 'openObligationsDuePages', 'openForwardingsDueBetween']),
    );
    expect(mailer.sent).toEqual([]);
  });
});

describe('a busy day: Monday 21 February 2022, the hospitals’ T0 and the city commissions’ T-7 (Fujian §三(一))', () => {
  it('reads each institution’s contacts at most once, and never the whole list of institutions', async () => {
    const { reminders, forwardings, calls } = await tick('2022-02-21');
    expect(reminders.messages.length).toBeGreaterThan(0);
    expect(forwardings.messages.length).toBeGreaterThan(0);
    const read = contactReads(calls);
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBe(new Set(read).size);
    expect(called(calls, 'listInstitutions')).toEqual([]);
    expect(called(calls, 'contactsOf')).toEqual([]);
  });

  it('in pages of ten: the same messages, and still each institution’s contacts once', async () => {
    const { reminders, calls } = await tick('2022-02-21', { batchSize: 10 });
    expect(called(calls, 'getPairings').length).toBeGreaterThan(1);
    expect(reminders.messages).toHaveLength(63);
    const read = contactReads(calls);
    expect(read.length).toBe(new Set(read).size);
  });

  it('claims and completes every address of a message in two writes, whatever its addresses', async () => {
    const { reminders, forwardings, calls } = await tick('2022-02-21');
    const messages = reminders.messages.length + forwardings.messages.length;
    expect(reminders.messages.some((m) => m.to.length + m.cc.length > 2)).toBe(true);
    expect(called(calls, 'claimReminders')).toHaveLength(messages);
    expect(called(calls, 'completeReminders')).toHaveLength(messages);
  });

  it('a rerun that sends nothing reads a page’s obligations and their logs in one batch each, and writes nothing', async () => {
    await tick('2022-02-21');
    const { reminders, forwardings, calls } = await tick('2022-02-21');
    expect([...reminders.messages, ...forwardings.messages]).toEqual([]);
    expect(reminders.due + forwardings.due).toBe(63 + 8);
    // One page of each plan's due index holds all its pairings' obligations (34 in Fujian, 29 in
    // Jiangsu): one batch read of the obligations and one of their logs per plan. The forwardings'
    // reminders read the obligations of their cities' pairings apart.
    const logReads = called(calls, 'remindersOfStages').map((c) => (c.args[0] as unknown[]).length);
    expect(logReads.sort()).toEqual([29, 34]);
    const pageReads = called(calls, 'getObligations').map((c) => (c.args[0] as unknown[]).length);
    expect(pageReads.filter((n) => n === 29 || n === 34).sort()).toEqual([29, 34]);
    expect(called(calls, 'getObligation')).toEqual([]);
    // A city commission's forwarding is read, and its log, on its own (eight of them).
    expect(called(calls, 'getForwarding')).toHaveLength(forwardings.due);
    expect(called(calls, 'remindersOfStage')).toHaveLength(forwardings.due);
    for (const write of ['claimReminders', 'completeReminders', 'releaseReminders', 'markAddressRejected'])
      expect(called(calls, write)).toEqual([]);
  });
});
