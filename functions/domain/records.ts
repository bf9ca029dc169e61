/**
 * Records the use cases keep about what happened: reminders sent, addresses that failed, upload links
 * and slots, generated documents. Plain data, declared once, so the domain (reports, timelines) and
 * the store speak of the same shapes.
 */
import type { Forwarding, ForwardingRecord, Obligation, ObligationRecord, PlainDate } from './model.ts';
import type { AuditEntry } from './staff-actions.ts';
import type { AnnualFigures } from './submission.ts';

/** An obligation as stored: the plan's definition and the facts recorded since. */
export interface ObligationWithRecord {
  obligation: Obligation;
  record: ObligationRecord;
}

/** ... with its optimistic-concurrency counter: every write of the item increments it. */
export interface StoredObligation extends ObligationWithRecord {
  version: number;
  /** What staff did to it, oldest first: appended in the same write as each change, never edited. */
  audit?: AuditEntry[];
}

/** A city commission's deliverable as stored, with the province's review and the audit log. */
export interface StoredForwarding {
  forwarding: Forwarding;
  record: ForwardingRecord;
  version: number;
  audit?: AuditEntry[];
}

/** The exactly-once record of one reminder to one address (see dynamo-keys.ts). */
export interface ReminderRecord {
  programmeId: string;
  /** The pairing; for a city commission's deliverable, its collection (`<programme>~<commission>`). */
  pairingId: string;
  /** `commission`: a reminder of a city commission's own deliverable (reporting-chain.ts). */
  level?: 'commission';
  obligationId: string;
  kind: string;
  year: number;
  stage: string;
  /** The Beijing date it was (or is being) sent. */
  day: string;
  email: string;
  institutionId: string;
  field: 'to' | 'cc';
  /**
   * `sending`: claimed by run `runId`, not yet handed to SES (a rerun may take it over once the lease
   * runs out); `dispatched`: the SES call has started, so whether it went out is unknown until the
   * outcome is recorded; a rerun never repeats it, and reports it if it stays unconfirmed.
   */
  status: 'sending' | 'dispatched' | 'sent' | 'rejected';
  runId: string;
  claimedAt: string;
  sentAt?: string;
  messageId?: string;
  /** Every address of the message this one went out in. */
  recipients?: string[];
  reason?: string;
}

export interface AddressStatus {
  email: string;
  rejectedAt: string;
  reason: string;
  /** Where the rejection came from: the SES send call, or (later) a bounce or complaint event. */
  source: 'send' | 'bounce' | 'complaint';
}

/**
 * A notice to the provincial commissions about one address of a bounce or complaint, held because the
 * event came on a non-working day (delivery-notices.ts). Its identity is the problem's: SES's time,
 * message and the address, so a redelivered event holds it once.
 */
export interface PendingDeliveryNotice {
  kind: 'bounce' | 'complaint';
  /** ISO 8601: when SES reported the problem. */
  at: string;
  /** The SES message that bounced or was complained of. */
  messageId: string;
  email: string;
  detail?: string;
  /** ISO 8601: when the event was processed and the notice held. */
  heldAt: string;
  /** The first working day the notice may go out. */
  until: PlainDate;
}

/** The generation of one institution's personal upload link for one obligation. */
export interface UploadLinkRecord {
  pairingId: string;
  obligationId: string;
  kind: string;
  year: number;
  institutionId: string;
  generation: number;
  issuedAt: string;
  revokedAt?: string;
}

/** An upload the server allowed through a presigned POST, and what became of it. */
export interface UploadSlot {
  slotId: string;
  programmeId: string;
  pairingId: string;
  obligationId: string;
  kind: string;
  year: number;
  institutionId: string;
  /** The link generation the slot was requested with. */
  generation: number;
  filename: string;
  declaredType: string;
  declaredSize: number;
  maxBytes: number;
  figures?: AnnualFigures;
  bucket: string;
  key: string;
  issuedAt: string;
  /**
   * Until when the presigned POST accepts the file: the expiry of its signed policy, on the clock S3
   * checks it by (the wall clock, even when a replay simulates "now").
   */
  postExpiresAt: string;
  state: 'issued' | 'accepted' | 'rejected';
  /**
   * The object ingest took for this slot (its ETag), claimed before checking it: the first object wins,
   * any other object posted to the same key is set aside.
   */
  objectETag?: string;
  /** When ingest first took the file: kept, so every redelivery records the same instant. */
  receivedAt?: string;
  reason?: string;
  problemCode?: string;
  submissionVersion?: number;
  finishedAt?: string;
}

/** The four documents bangfu renders. */
export const DOCUMENT_TYPES = ['agreements', 'annual', 'pairing', 'form'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** A generated PDF kept in S3, and what it describes. */
export interface DocumentRecord {
  id: string;
  type: DocumentType;
  programmeId: string;
  year?: number;
  pairingId?: string;
  title: string;
  filename: string;
  bucket: string;
  key: string;
  sha256: string;
  size: number;
  /** The instant the document describes. */
  asOf: string;
  generatedAt: string;
}
