/**
 * Bounce and complaint notices to the provincial commissions around non-working days, on the in-memory
 * twins with the official PRC calendar: the address is marked at once, the notice waits for the first
 * working day's tick (国庆 2022: 1–7 October off, Saturday 8 October a 调休 working day) and goes out
 * once, whatever runs again. The daily tick runs whole, as the Lambda runs it.
 */
import { describe, expect, it } from 'vitest';
import {
  createForwardingReminderRenderer,
  createReminderRenderer,
  createStaffMailRenderer,
} from '../../functions/adapters/email-renderer.ts';
import { MemoryFiles } from '../../functions/adapters/memory/memory-files.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { downloadTickets } from '../../functions/adapters/upload-links.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { formatTick } from '../../functions/local/cli/format.ts';
import {
  type DeliveryProblem,
  type DeliveryProblemPorts,
  recordDeliveryProblem,
} from '../../functions/use-cases/delivery-problems.ts';
import type { ReportRenderers } from '../../functions/use-cases/ports.ts';
import { runDailyTick } from '../../functions/use-cases/run-tick.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';

const atBeijing = (day: string, hour: number) => new Date(startOfBeijingDay(day).getTime() + hour * 3600_000);
const pdf = async () => Buffer.from('%PDF-1.7 stand-in');
const renderers: ReportRenderers = { agreements: pdf, annual: pdf, pairing: pdf, form: pdf };
const SENDER = 'bangfu@example.org';
const LEASE_MS = 120_000;
const COUNTY = 'fj-huaan-county-government@example.org';
const COMMISSION = ['fj-provincial-commission.lead@example.org', 'fj-provincial-commission@example.org'];

/** A permanent bounce of the county government's address, as the edge parses SES's event. */
const bounce = (messageId: string, at: string): DeliveryProblem => ({
  kind: 'bounce',
  addresses: [{ email: COUNTY, detail: 'smtp; 550 5.1.1 user unknown' }],
  messageId,
  at,
});

async function setUp() {
  const store: MemoryStore = await seededMemoryStore();
  const mailer = new MemoryMailer();
  const leaseClock = new TestLeaseClock(atBeijing('2022-09-30', 9));
  const staffMail = createStaffMailRenderer();
  const noticePorts = (now: Date): DeliveryProblemPorts => ({
    store,
    mailer,
    staffMail,
    sender: SENDER,
    clock: () => now,
    calendar: prcCalendar,
    runId: `run-${Math.random().toString(36).slice(2)}`,
    claimLeaseMs: LEASE_MS,
    leaseClock,
  });
  /** The SES events function handling `problem` at `now`. */
  const deliver = (problem: DeliveryProblem, now: Date) => recordDeliveryProblem(noticePorts(now), problem);
  /** The whole daily tick of `day`, at 09:00 Beijing time as scheduled. */
  const tick = (day: string) => {
    const now = atBeijing(day, 9);
    const clock = () => now;
    const runId = `run-${day}-${Math.random().toString(36).slice(2)}`;
    const common = { store, mailer, calendar: prcCalendar, clock, leaseClock, sender: SENDER, runId };
    return runDailyTick(
      {
        reminders: { ...common, renderer: createReminderRenderer(), options: { claimLeaseMs: LEASE_MS } },
        forwardingReminders: {
          ...common,
          renderer: createForwardingReminderRenderer(),
          options: { claimLeaseMs: LEASE_MS },
        },
        publishing: {
          ...common,
          staffMail,
          claimLeaseMs: LEASE_MS,
          documents: {
            store,
            files: new MemoryFiles(clock),
            tickets: downloadTickets('test-secret-of-at-least-thirty-two-bytes'),
            clock,
            settings: {
              bucket: 'files',
              publicUrl: 'https://bangfu.example',
              downloadLinkDays: 14,
              presignedGetSeconds: 300,
            },
            renderers,
          },
        },
        deliveryNotices: { ...noticePorts(now), runId },
      },
      day,
    );
  };
  /** The bounce notices the mailer accepted: who each went to. */
  const notices = () =>
    mailer.sent.filter((m) => m.headers['X-Bangfu-Stage'] === 'bounce').map((m) => [...m.to].sort());
  return { store, deliver, tick, notices };
}

describe('bounce notices to the provincial commission wait for a working day (official working-day calendar)', () => {
  it('a bounce on Saturday 1 October 2022 (国庆) marks the address at once and mails nothing; the tick of Saturday 8 October (调休 working day) mails the notice once', async () => {
    const { store, deliver, tick, notices } = await setUp();
    const problem = bounce('0102017f-national-day', '2022-10-01T01:59:58.000Z');

    const held = await deliver(problem, atBeijing('2022-10-01', 10));
    expect(held).toMatchObject({ marked: [COUNTY], notices: 0, held: [COUNTY], heldUntil: '2022-10-08' });
    expect(await store.addressStatuses([COUNTY])).toEqual([
      expect.objectContaining({ source: 'bounce', reason: expect.stringContaining('550 5.1.1') }),
    ]);
    expect(notices()).toEqual([]);

    // Sunday 2 October and Friday 7 October are holidays: the tick mails no notice.
    for (const day of ['2022-10-02', '2022-10-07']) {
      const result = await tick(day);
      expect(result.deliveryNotices).toEqual({ due: 0, notices: 0, pending: 1, noRecipients: [] });
      expect(notices()).toEqual([]);
    }

    const makeUpDay = await tick('2022-10-08');
    expect(makeUpDay.deliveryNotices).toEqual({ due: 1, notices: 1, pending: 0, noRecipients: [] });
    expect(makeUpDay.failed).toEqual([]);
    expect(notices()).toEqual([COMMISSION]);
    expect(await store.pendingDeliveryNotices()).toEqual([]);
    expect(formatTick(makeUpDay)).toContain(
      'bounce/complaint notices held over the days off: 1 due, 1 message(s) sent, 0 still held',
    );

    // A rerun of the tick and a redelivery of the same SES event on the working day mail nothing more.
    const rerun = await tick('2022-10-08');
    expect(rerun.deliveryNotices).toEqual({ due: 0, notices: 0, pending: 0, noRecipients: [] });
    const redelivered = await deliver(problem, atBeijing('2022-10-08', 11));
    expect(redelivered).toMatchObject({ marked: [COUNTY], notices: 0, held: [], failed: [] });
    expect(notices()).toEqual([COMMISSION]);
  });

  it('a redelivery of the event on a non-working day holds it once, and a crash between send and removal sends nothing again', async () => {
    const { store, deliver, tick, notices } = await setUp();
    const problem = bounce('0102017f-redelivered', '2022-10-01T01:59:58.000Z');
    await deliver(problem, atBeijing('2022-10-01', 10));
    const again = await deliver(problem, atBeijing('2022-10-02', 15));
    expect(again).toMatchObject({ marked: [COUNTY], notices: 0, held: [], heldUntil: '2022-10-08' });
    expect(await store.pendingDeliveryNotices()).toHaveLength(1);

    // The tick sent the notice and died before removing the hold: the next run finds it sent.
    const [pending] = await store.pendingDeliveryNotices();
    await tick('2022-10-08');
    expect(notices()).toEqual([COMMISSION]);
    await store.holdDeliveryNotice(pending as NonNullable<typeof pending>);
    const afterCrash = await tick('2022-10-08');
    expect(afterCrash.deliveryNotices).toMatchObject({ due: 1, notices: 0, pending: 0 });
    expect(notices()).toEqual([COMMISSION]);
    expect(await store.pendingDeliveryNotices()).toEqual([]);
  });

  it('a bounce on a working day mails the commission at once, and the tick sends nothing more', async () => {
    const { store, deliver, tick, notices } = await setUp();
    const result = await deliver(
      bounce('0102017f-working-day', '2022-10-10T01:59:58.000Z'),
      atBeijing('2022-10-10', 10),
    );
    expect(result).toMatchObject({ marked: [COUNTY], notices: 1, held: [], failed: [] });
    expect(result.heldUntil).toBeUndefined();
    expect(notices()).toEqual([COMMISSION]);
    expect(await store.pendingDeliveryNotices()).toEqual([]);

    const next = await tick('2022-10-11');
    expect(next.deliveryNotices).toEqual({ due: 0, notices: 0, pending: 0, noRecipients: [] });
    expect(notices()).toEqual([COMMISSION]);
  });
});
