/**
 * sendOnce on the in-memory twins, its leases timed by a clock the test moves: claims of dead runs,
 * live runs, refusals and failures, in milliseconds and without waiting out a lease.
 */
import { describe, expect, it } from 'vitest';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import type { OutboundEmail } from '../../functions/domain/email.ts';
import type { Institution } from '../../functions/domain/model.ts';
import type { ReminderRecord } from '../../functions/domain/records.ts';
import { envelopeOf, recordsOf, type SendOncePorts, sendOnce } from '../../functions/use-cases/send-once.ts';
import { leaveDispatchedByDeadRun } from '../support/dead-run.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';

const LEASE_MS = 120_000;
const T0 = new Date('2022-02-21T01:00:00.000Z');
const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const institution = { id: 'fj-huaan-county-hospital', name: '华安县医院' } as Institution;
const base = {
  programmeId: 'fj-2021',
  pairingId: PAIRING,
  obligationId: `${PAIRING}#agreement#2022`,
  kind: 'agreement',
  year: 2022,
  stage: 'T-7',
  day: '2022-02-21',
};

function setUp(leaseClock = new TestLeaseClock(T0)) {
  const store = new MemoryStore();
  const mailer = new MemoryMailer();
  const ports: SendOncePorts = { store, mailer, clock: () => T0, claimLeaseMs: LEASE_MS, leaseClock };
  /** This run's records for `emails`, as the reminder tick builds them. */
  const records = (runId: string, ...emails: string[]) =>
    recordsOf(
      { ...base, runId },
      emails.map((email) => ({ email, institution, field: 'to' as const })),
      T0,
    );
  return { store, mailer, ports, records, leaseClock };
}

const render = (claimed: ReminderRecord[]): OutboundEmail => ({
  ...envelopeOf('bangfu@example.org', claimed),
  subject: '提醒',
  text: '请提交协议书',
  html: '<p>请提交协议书</p>',
  attachments: [],
  headers: { 'X-Bangfu-Obligation': base.obligationId, 'X-Bangfu-Stage': base.stage },
});

/** One address of this message as a dead run leaves it. */
const send = (email: string) => ({ ...base, email, institutionId: institution.id, field: 'to' as const });

const stage = (store: MemoryStore) => store.remindersOfStage(PAIRING, 'agreement', 2022, 'T-7');

describe('a claim left by a run that died', () => {
  it('handed to the mail provider before the lease ran out is reported as unconfirmed and not sent again', async () => {
    const { store, mailer, ports, records, leaseClock } = setUp();
    await leaveDispatchedByDeadRun(store, send('a@example.org'), leaseClock.now());

    const outcome = await sendOnce(ports, records('run-b', 'a@example.org', 'b@example.org'), render);

    expect(outcome.unconfirmed).toEqual(['a@example.org']);
    expect(mailer.sent.map((m) => m.to)).toEqual([['b@example.org']]);
    expect((await stage(store)).map((r) => [r.email, r.status])).toEqual([
      ['a@example.org', 'dispatched'],
      ['b@example.org', 'sent'],
    ]);
  });

  it('still `sending` (claimed before claims were taken at dispatch) once its lease ran out is taken over and sent', async () => {
    const { store, mailer, ports, records } = setUp();
    const [dead] = records('a-run-that-died', 'a@example.org');
    await store.claimReminders(
      [{ ...(dead as ReminderRecord), status: 'sending', claimedAt: '2022-02-21T00:00:00.000Z' }],
      T0.toISOString(),
    );

    const outcome = await sendOnce(ports, records('run-b', 'a@example.org'), render);

    expect(outcome.sent).toHaveLength(1);
    expect(mailer.sent.map((m) => m.to)).toEqual([['a@example.org']]);
    expect(await stage(store)).toEqual([
      expect.objectContaining({ runId: 'run-b', status: 'sent', claimedAt: T0.toISOString() }),
    ]);
  });
});

describe('a claim held by a live run', () => {
  it('just handed to the mail provider is left to that run: counted as handled, nothing sent', async () => {
    const { store, mailer, ports, records } = setUp();
    await store.claimReminders(records('run-a', 'a@example.org'), T0.toISOString());

    const outcome = await sendOnce(ports, records('run-b', 'a@example.org'), render);

    expect(outcome).toMatchObject({ sent: [], alreadySent: 1, unconfirmed: [] });
    expect(mailer.sent).toEqual([]);
  });

  it('taken while this run rendered its message: the log is read again and only the free addresses get it', async () => {
    const { store, mailer, ports, records } = setUp();
    // This run read the stage's log when nothing was claimed; run a claims a@ before this run's turn.
    const readBefore: ReminderRecord[] = [];
    const racing = (claimed: ReminderRecord[]) => {
      if (claimed.length === 2)
        void store.claimReminders(records('run-a', 'a@example.org'), T0.toISOString());
      return render(claimed);
    };

    const outcome = await sendOnce(
      ports,
      records('run-b', 'a@example.org', 'b@example.org'),
      racing,
      readBefore,
    );

    expect(outcome).toMatchObject({ alreadySent: 1, failed: [] });
    expect(mailer.sent.map((m) => m.to)).toEqual([['b@example.org']]);
    expect((await stage(store)).map((r) => [r.email, r.runId, r.status])).toEqual([
      ['a@example.org', 'run-a', 'dispatched'],
      ['b@example.org', 'run-b', 'sent'],
    ]);
  });

  it('two runs at once send each address one message between them', async () => {
    const { store, mailer, ports, records } = setUp();
    const emails = ['a@example.org', 'b@example.org', 'c@example.org'];

    const outcomes = await Promise.all([
      sendOnce(ports, records('run-a', ...emails), render, []),
      sendOnce(ports, records('run-b', ...emails), render, []),
    ]);

    expect(mailer.sent.flatMap((m) => m.to).sort()).toEqual(emails);
    expect(outcomes.reduce((n, o) => n + o.alreadySent, 0)).toBe(3);
    expect((await stage(store)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });
});

describe('what the mail provider answers', () => {
  it('an address it refuses is marked and reported, and the others still get the message', async () => {
    const { store, mailer, ports, records } = setUp();
    mailer.refusedAddresses.add('b@example.org');

    const outcome = await sendOnce(
      ports,
      records('run-b', 'a@example.org', 'b@example.org', 'c@example.org'),
      render,
    );

    expect(outcome.rejected).toEqual([
      { email: 'b@example.org', reason: expect.stringContaining('b@example.org') },
    ]);
    expect(mailer.sent.map((m) => m.to)).toEqual([['a@example.org'], ['c@example.org']]);
    expect(await store.addressStatuses(['b@example.org'])).toEqual([
      expect.objectContaining({ email: 'b@example.org', source: 'send' }),
    ]);
    expect((await stage(store)).map((r) => r.status)).toEqual(['sent', 'rejected', 'sent']);
  });

  it('any other failure frees the claims, and the next run sends the message', async () => {
    const { store, mailer, ports, records } = setUp();
    mailer.fault = () => new Error('SES is unavailable');

    const failed = await sendOnce(ports, records('run-a', 'a@example.org'), render);
    expect(failed.failed).toEqual(['SES is unavailable']);
    expect(await stage(store)).toEqual([]);

    mailer.fault = undefined;
    const retried = await sendOnce(ports, records('run-b', 'a@example.org'), render);
    expect(retried.sent).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });
});
