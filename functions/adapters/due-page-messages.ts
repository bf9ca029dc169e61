/**
 * A page of due reminders as a work queue carries it (the SQS message body, and the in-process queue's
 * copy of it), and what a worker does with a batch of such messages: decode each, remind its page,
 * and name the messages to deliver again.
 *
 * The body is the page's business identity and nothing else (programme, Beijing day, obligations by
 * pairing, kind and year): no names, addresses or times, so a message in a queue or a log carries no
 * personal data, and a page delivered twice asks for the same sends. A page of 200 obligations is
 * about 16 KB, well under SQS's 256 KB.
 */
import { z } from 'zod';
import type { DuePage } from '../use-cases/ports.ts';
import type { TickResult } from '../use-cases/send-due-reminders.ts';
import { type LogEntry, redactText } from './log-entries.ts';

const duePageSchema = z.strictObject({
  programmeId: z.string().min(1),
  day: z.iso.date(),
  obligations: z
    .array(
      z.strictObject({
        pairingId: z.string().min(1),
        kind: z.string().min(1),
        year: z.number().int(),
      }),
    )
    .max(1000),
});

/** A message body that is not a page of due reminders: delivering it again cannot fix it. */
export class MalformedDuePageError extends Error {
  override readonly name = 'MalformedDuePageError';
  readonly code = 'malformed-due-page';
}

export function encodeDuePage(page: DuePage): string {
  const { programmeId, day, obligations } = page;
  return JSON.stringify({
    programmeId,
    day,
    obligations: obligations.map(({ pairingId, kind, year }) => ({ pairingId, kind, year })),
  });
}

/** The page a body carries; MalformedDuePageError naming the fields at fault, never their values. */
export function decodeDuePage(body: string): DuePage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // JSON.parse's message quotes the body: say only that it is not JSON.
    throw new MalformedDuePageError('the body is not JSON');
  }
  const parsed = duePageSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new MalformedDuePageError(redactText(issues.join('; ')));
}

/** One message of a batch: its queue's id for it, and its body. */
export interface QueuedMessage {
  messageId: string;
  body: string;
}

export interface DuePageOutcome {
  messageId: string;
  /** Absent when the body was not a page, or reminding it threw before any result. */
  page?: DuePage;
  result?: TickResult;
  /** Why the message is to be delivered again; absent when the page is done. */
  failure?: string;
}

/** What a batch of messages came to; `retry` names the messages a queue should deliver again. */
export interface DuePageBatchOutcome {
  outcomes: DuePageOutcome[];
  retry: string[];
}

/**
 * Reminds the page of each message, one after another, logging each outcome (masked): a message whose
 * body is not a page, whose reminding threw, or whose page has failed sends is named in `retry`, alone;
 * the rest of the batch is done. A redelivery sends only what did not go out (exactly-once records).
 */
export async function remindDuePageMessages(
  messages: readonly QueuedMessage[],
  remind: (page: DuePage) => Promise<TickResult>,
  log: (entry: LogEntry) => void,
): Promise<DuePageBatchOutcome> {
  const outcomes: DuePageOutcome[] = [];
  for (const { messageId, body } of messages) {
    let page: DuePage;
    try {
      page = decodeDuePage(body);
    } catch (error) {
      const reason = (error as Error).message;
      log({ level: 'error', message: 'not a page of due reminders', messageId, reason });
      outcomes.push({ messageId, failure: reason });
      continue;
    }
    try {
      const result = await remind(page);
      const failure =
        result.failed.length > 0
          ? `${result.failed.length} send(s) failed: ${result.failed[0]?.error}`
          : undefined;
      log(duePageLogEntry(messageId, page, result));
      outcomes.push({ messageId, page, result, ...(failure ? { failure: redactText(failure) } : {}) });
    } catch (error) {
      const reason = redactText(`${(error as Error).name}: ${(error as Error).message}`);
      log({ level: 'error', message: 'reminder page failed', messageId, ...pageFields(page), reason });
      outcomes.push({ messageId, page, failure: reason });
    }
  }
  return { outcomes, retry: outcomes.filter((o) => o.failure !== undefined).map((o) => o.messageId) };
}

const pageFields = (page: DuePage) => ({
  programmeId: page.programmeId,
  day: page.day,
  obligations: page.obligations.length,
});

/** A page's outcome as the worker logs it: counts, obligation ids and stages; errors redacted. */
export function duePageLogEntry(messageId: string, page: DuePage, result: TickResult): LogEntry {
  return {
    level: result.failed.length > 0 ? 'warn' : 'info',
    message: 'reminder page done',
    messageId,
    ...pageFields(page),
    due: result.due,
    messages: result.messages.length,
    alreadySent: result.alreadySent,
    rejected: result.rejected.length,
    suppressed: result.suppressed.length,
    noContacts: result.noContacts.length,
    unconfirmed: result.unconfirmed.length,
    failed: result.failed.length,
    failures: result.failed.map((f) => ({
      obligationId: f.obligationId,
      stage: f.stage,
      error: redactText(f.error),
    })),
  };
}
