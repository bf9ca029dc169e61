/**
 * What the Lambdas and the API write to their logs. Logs are kept for months and read by people who
 * have no business with the coordinators in them, so they hold no ticket (an upload or download link
 * is a credential on its own), no email address and no phone number: counts, and where an operator
 * must find a record, an address masked to its first letter and domain with a short hash of it all.
 *
 * The hash is the first 8 hex digits of the SHA-256 of the lower-cased address, so an operator who has
 * the roster can tell which address an entry is about (`printf %s addr | sha256sum`), and entries about
 * the same address can be matched, without the log itself naming anyone.
 */
import { createHash } from 'node:crypto';
import type { DeliveryProblem, DeliveryProblemResult } from '../use-cases/delivery-problems.ts';
import type { IngestOutcome } from '../use-cases/ingest-upload.ts';
import type { PublishResult } from '../use-cases/publish-documents.ts';
import type { TickResult } from '../use-cases/send-due-reminders.ts';

/** One log entry: what happened in `message`, the facts in the other fields, already masked. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  [field: string]: unknown;
}

/** `zhang.san@fjmu.edu.cn` → `z***@fjmu.edu.cn#<8 hex digits>`. */
export function maskAddress(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const masked = at < 0 ? '***' : `${address.slice(0, Math.min(1, at))}***${address.slice(at)}`;
  return `${masked}#${fingerprint(address)}`;
}

/** The first 8 hex digits of the SHA-256 of `value`: matches entries about one value, never quotes it. */
function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

const TICKET_PATH = /\/([ud])\/([^/?#\s"'<>]+)/g;
/** Signed links are JWTs: their header always starts `eyJ` (base64url of `{"`), whole or cut short. */
const BARE_TICKET = /(?<![\w-])eyJ[\w-]*(?:\.[\w-]*){0,2}/g;
const ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** Mainland mobile numbers (11 digits from 13…–19…, optionally +86) and landlines with an area code. */
const PHONE = /(?<![\w-])(?:(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}|0\d{2,3}-\d{7,8})(?![\w-])/g;

/** A request path with the ticket after `/u/` or `/d/` replaced by its hash: `/u/…#1a2b3c4d/slots`. */
export function redactPath(path: string): string {
  return path.replace(
    TICKET_PATH,
    (_, route: string, ticket: string) => `/${route}/…#${fingerprint(ticket)}`,
  );
}

/** Free text (an error message, a stack) with every ticket, email address and phone number replaced. */
export function redactText(text: string): string {
  return redactPath(text)
    .replace(BARE_TICKET, (ticket) => `…#${fingerprint(ticket)}`)
    .replace(ADDRESS, (address) => maskAddress(address))
    .replace(PHONE, '[phone]');
}

/** The counts the tick reports: its Lambda's return value and the heart of its log entry. */
export function tickSummary(result: TickResult & { published: PublishResult }) {
  return {
    day: result.day,
    due: result.due,
    messages: result.messages.length,
    alreadySent: result.alreadySent,
    rejected: result.rejected.length,
    suppressed: result.suppressed.length + result.published.suppressed.length,
    noContacts: result.noContacts.length,
    failed: result.failed.length + result.published.failed.length,
    documents: result.published.documents.map((d) => d.id),
    staffMessages: result.published.messages.length,
    unconfirmed: result.unconfirmed.length + result.published.unconfirmed.length,
    // Handed to the reminder workers, which log and count their own sends.
    ...(result.enqueued ? { enqueued: result.enqueued } : {}),
  };
}

/** The tick's log entry: counts, and masked addresses where a person has to look something up. */
export function tickLogEntry(result: TickResult & { published: PublishResult }) {
  return {
    level: 'info' as const,
    message: 'tick done',
    ...tickSummary(result),
    rejectedAddresses: result.rejected.map((r) => ({
      obligationId: r.obligationId,
      stage: r.stage,
      address: maskAddress(r.email),
      reason: redactText(r.reason),
    })),
    unconfirmedAddresses: [
      ...result.unconfirmed.map((u) => ({
        obligationId: u.obligationId,
        stage: u.stage,
        address: maskAddress(u.email),
      })),
      ...result.published.unconfirmed.map((u) => ({
        staffMail: u.kind,
        trace: u.trace,
        address: maskAddress(u.email),
      })),
    ],
    failures: [
      ...result.failed.map((f) => ({
        obligationId: f.obligationId,
        stage: f.stage,
        error: redactText(f.error),
      })),
      ...result.published.failed.map((error) => ({ staffMail: true, error: redactText(error) })),
    ],
  };
}

/** Why the tick's invocation fails (the scheduler then retries it), fit for the log. */
export function tickFailure(result: TickResult & { published: PublishResult }): string {
  const failed = result.failed.length + result.published.failed.length;
  const first = result.failed[0]?.error ?? result.published.failed[0] ?? '';
  return redactText(`tick ${result.day}: ${failed} message(s) failed: ${first}`);
}

/** The log entry of one SES bounce or complaint. */
export function deliveryProblemLogEntry(problem: DeliveryProblem, result: DeliveryProblemResult) {
  return {
    level: 'info' as const,
    message: `ses ${problem.kind}`,
    sesMessageId: problem.messageId,
    marked: result.marked.length,
    markedAddresses: result.marked.map(maskAddress),
    notices: result.notices,
    // Held over a non-working day: the tick of `heldUntil` sends them.
    held: result.held.length,
    ...(result.heldUntil ? { heldUntil: result.heldUntil } : {}),
    failed: result.failed.map(redactText),
    unconfirmed: result.unconfirmed.map((u) => ({
      programmeId: u.programmeId,
      about: maskAddress(u.about),
      address: maskAddress(u.email),
    })),
    noRecipients: result.noRecipients.map((n) => ({
      programmeId: n.programmeId,
      commission: n.commission,
      about: maskAddress(n.about),
    })),
  };
}

/**
 * The log entry of one ingested object: its outcome, with counts of the notices left unconfirmed (their
 * addresses stay out of the log), and a warning when another object was set aside.
 */
export function ingestLogEntry(object: { key: string }, outcome: IngestOutcome): LogEntry {
  const entry = {
    level: outcome.outcome === 'set-aside' ? ('warn' as const) : ('info' as const),
    message: 'ingest',
    key: object.key,
    outcome: outcome.outcome,
  };
  switch (outcome.outcome) {
    case 'accepted':
      return {
        ...entry,
        slotId: outcome.slotId,
        version: outcome.version,
        unconfirmedNotices: outcome.unconfirmed.length,
      };
    case 'rejected':
      return {
        ...entry,
        slotId: outcome.slotId,
        problem: { code: outcome.problem.code, message: redactText(outcome.problem.message) },
        unconfirmedNotices: outcome.unconfirmed.length,
      };
    case 'set-aside':
      return {
        ...entry,
        slotId: outcome.slotId,
        reason: redactText(outcome.reason),
        ...(outcome.keptAs ? { keptAs: outcome.keptAs } : {}),
        unconfirmedNotices: 0,
      };
    case 'ignored':
      return { ...entry, reason: redactText(outcome.reason), unconfirmedNotices: 0 };
  }
}
