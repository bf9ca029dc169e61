/**
 * The reminder worker on the in-memory twins: the tick of Monday 21 February 2022 (Fujian §三(一): T0
 * of the hospitals reporting to a city, T-7 of those reporting directly) handed page by page to the
 * worker's code (composition/reminder-worker.ts), as SQS delivers it; and the deployed handler's
 * mapping of an SQS batch to the messages it asks SQS to deliver again. The embedded stack runs the
 * same fan-out in test/integration/reminder-fan-out.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeDuePage } from '../../functions/adapters/due-page-messages.ts';
import { createReminderRenderer } from '../../functions/adapters/email-renderer.ts';
import { ENV } from '../../functions/adapters/env-names.ts';
import type { LogEntry } from '../../functions/adapters/log-entries.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { reminderWorker } from '../../functions/composition/reminder-worker.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { MalformedEventError } from '../../functions/handlers/events.ts';
import type { DuePage, Mailer } from '../../functions/use-cases/ports.ts';
import type { DuePagePorts } from '../../functions/use-cases/remind-due-page.ts';
import { type ReminderPorts, sendDueReminders } from '../../functions/use-cases/send-due-reminders.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';

const DAY = '2022-02-21';
const nineOclock = new Date(startOfBeijingDay(DAY).getTime() + 9 * 3600_000);
const renderer = createReminderRenderer();

let store: MemoryStore;
let mailer: MemoryMailer;
let logged: LogEntry[];

beforeEach(async () => {
  store = await seededMemoryStore();
  mailer = new MemoryMailer();
  logged = [];
});

const portsWith = (overrides: Partial<DuePagePorts> = {}): DuePagePorts => ({
  store,
  mailer,
  renderer,
  calendar: prcCalendar,
  clock: () => nineOclock,
  sender: 'bangfu@example.org',
  runId: `run-${Math.random().toString(36).slice(2)}`,
  ...overrides,
});

/** The pages the tick of DAY hands to a work queue, `batchSize` obligations at most to a page. */
async function tickPages(batchSize = 20): Promise<DuePage[]> {
  const pages: DuePage[] = [];
  const ports: ReminderPorts = {
    ...portsWith(),
    options: { batchSize },
    workQueue: { enqueue: async (p) => void pages.push(...p) },
  };
  const result = await sendDueReminders(ports, DAY);
  expect(result.messages).toEqual([]);
  expect(result.enqueued).toEqual({ pages: pages.length, obligations: 63 });
  return pages;
}

const message = (page: DuePage, n: number) => ({ messageId: `m-${n}`, body: encodeDuePage(page) });
const worker = (overrides: Partial<DuePagePorts> = {}) =>
  reminderWorker(
    () => portsWith(overrides),
    (entry) => logged.push(entry),
  );

/** A mailer that refuses every message for one obligation, as SES failing after its retries. */
function failingFor(obligation: string, real: Mailer): Mailer {
  return {
    send: (email, hooks) =>
      email.headers['X-Bangfu-Obligation'] === obligation
        ? Promise.reject(new Error(`SES 500 for ${email.to.join(',')}`))
        : real.send(email, hooks),
  };
}

describe('the reminder worker (Fujian §三(一): the 63 reminders of 21 February 2022, page by page)', () => {
  it('sends every page’s reminders once, and a redelivered batch sends nothing', async () => {
    const pages = await tickPages();
    expect(pages.length).toBeGreaterThan(1);
    const batch = pages.map(message);

    const first = await worker()(batch);
    expect(first.retry).toEqual([]);
    expect(first.outcomes.flatMap((o) => o.result?.messages ?? [])).toHaveLength(63);
    expect(mailer.sent).toHaveLength(63);

    const again = await worker()(batch);
    expect(again.retry).toEqual([]);
    expect(again.outcomes.flatMap((o) => o.result?.messages ?? [])).toEqual([]);
    expect(mailer.sent).toHaveLength(63);
  });

  it('asks for the page with a failed send alone to be delivered again, and its redelivery sends only that', async () => {
    const pages = await tickPages();
    const [failing] = pages[0]?.obligations ?? [];
    const obligation = `${failing?.pairingId}#${failing?.kind}#${failing?.year}`;
    const batch = pages.map(message);

    const first = await worker({ mailer: failingFor(obligation, mailer) })(batch);
    expect(first.retry).toEqual(['m-0']);
    expect(mailer.sent).toHaveLength(62);
    // The failure is logged with the obligation, its error redacted: no address of anyone.
    const warning = logged.find((e) => e.level === 'warn');
    expect(warning).toMatchObject({ messageId: 'm-0', failed: 1, programmeId: pages[0]?.programmeId });
    expect(JSON.stringify(logged)).not.toMatch(/[\w.-]+@example\.org/);

    const redelivered = await worker()([batch[0] as { messageId: string; body: string }]);
    expect(redelivered.retry).toEqual([]);
    expect(redelivered.outcomes[0]?.result?.messages.map((m) => m.obligationId)).toEqual([obligation]);
    expect(mailer.sent).toHaveLength(63);
  });

  it('fails a message that is not a page alone, logging why without its body', async () => {
    const [page] = await tickPages();
    const batch = [
      { messageId: 'not-json', body: '{"programmeId": "fj-2021", zhang.san@example.org' },
      { messageId: 'wrong-shape', body: JSON.stringify({ programmeId: 'fj-2021', day: 'Monday' }) },
      message(page as DuePage, 2),
    ];
    const outcome = await worker()(batch);
    expect(outcome.retry).toEqual(['not-json', 'wrong-shape']);
    expect(outcome.outcomes[2]?.result?.messages.length).toBeGreaterThan(0);
    const errors = logged.filter((e) => e.level === 'error');
    expect(errors.map((e) => [e.messageId, e.reason])).toEqual([
      ['not-json', 'the body is not JSON'],
      ['wrong-shape', expect.stringMatching(/^day: .*; obligations: /)],
    ]);
    expect(JSON.stringify(logged)).not.toContain('zhang.san');
  });

  it('sends nothing for an obligation submitted after the tick read the index', async () => {
    const pages = await tickPages(200);
    const [submitted] = pages[0]?.obligations ?? [];
    if (!submitted) throw new Error('no page');
    await store.recordObligationFacts(submitted.pairingId, submitted.kind, submitted.year, {
      submittedAt: '2022-02-21T00:30:00.000Z',
    });
    const outcome = await worker()(pages.map(message));
    const sent = outcome.outcomes.flatMap((o) => o.result?.messages ?? []).map((m) => m.obligationId);
    expect(sent).toHaveLength(62);
    expect(sent).not.toContain(`${submitted.pairingId}#${submitted.kind}#${submitted.year}`);
  });
});

describe('the deployed reminder worker handler (reportBatchItemFailures)', () => {
  /** The handler module, loaded with an environment whose endpoints nothing listens on. */
  async function loadHandler() {
    vi.stubEnv(ENV.region, 'ap-southeast-1');
    vi.stubEnv(ENV.tableName, 'bangfu');
    vi.stubEnv(ENV.bucketName, 'bangfu-files');
    vi.stubEnv(ENV.sender, 'noreply@example.org');
    vi.stubEnv(ENV.publicUrl, 'https://links.example.org');
    vi.stubEnv(ENV.ticketSecret, 'k'.repeat(32));
    vi.stubEnv(ENV.dynamodbEndpoint, 'http://127.0.0.1:9');
    vi.stubEnv(ENV.sesEndpoint, 'http://127.0.0.1:9');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    try {
      return (await import('../../functions/handlers/reminder-worker.handler.ts')).handler;
    } finally {
      vi.unstubAllEnvs();
    }
  }
  const sqsEvent = (records: { messageId: string; body: string }[]) => ({
    Records: records.map((r) => ({ ...r, eventSource: 'aws:sqs', receiptHandle: 'h', attributes: {} })),
  });

  it('names the messages that are not pages as batch item failures and finishes the others', async () => {
    const handler = await loadHandler();
    const empty: DuePage = { programmeId: 'fj-2021', day: DAY, obligations: [] };
    const response = await handler(
      sqsEvent([
        { messageId: 'a', body: 'not json' },
        { messageId: 'b', body: encodeDuePage(empty) },
        { messageId: 'c', body: '[]' },
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'c' }] });
  });

  it('refuses an event that is not an SQS batch, so the whole batch is delivered again', async () => {
    const handler = await loadHandler();
    await expect(handler({ Records: [{ body: 'x' }] })).rejects.toBeInstanceOf(MalformedEventError);
  });
});
