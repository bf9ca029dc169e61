/** What the use cases need from the outside world, so the CLI, Lambdas and tests wire them alike. */
import type { OutboundEmail, ReminderView } from '../domain/email.ts';
import type {
  Contact,
  Institution,
  Obligation,
  ObligationRecord,
  Pairing,
  Programme,
} from '../domain/model.ts';
import type { AnnualFigures } from '../domain/submission.ts';

export interface SeedStore {
  syncInstitutions(institutions: readonly Institution[]): Promise<SyncCounts>;
  syncProgramme(programme: Programme): Promise<SyncCounts>;
  syncPairings(programmeId: string, pairings: readonly Pairing[]): Promise<SyncCounts>;
  syncObligations(programmeId: string, obligations: readonly Obligation[]): Promise<SyncCounts>;
}

export interface RosterStore {
  listInstitutions(): Promise<Institution[]>;
  syncContacts(contacts: readonly Contact[]): Promise<SyncCounts>;
}

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface StatusStore {
  listProgrammes(): Promise<Programme[]>;
  listPairings(programmeId: string): Promise<Pairing[]>;
  listObligations(programmeId: string): Promise<{ obligation: Obligation; record: ObligationRecord }[]>;
  listInstitutions(): Promise<Institution[]>;
}

/** The exactly-once record of one reminder to one address (see dynamo-keys.ts). */
export interface ReminderRecord {
  programmeId: string;
  pairingId: string;
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

export interface ReminderStore {
  listProgrammes(): Promise<Programme[]>;
  listInstitutions(): Promise<Institution[]>;
  openObligationsDueBetween(
    programmeId: string,
    from: string,
    to: string,
  ): Promise<{ obligation: Obligation; record: ObligationRecord }[]>;
  getObligation(
    pairingId: string,
    kind: string,
    year: number,
  ): Promise<{ obligation: Obligation; record: ObligationRecord } | undefined>;
  getPairings(ids: readonly string[]): Promise<Pairing[]>;
  contactsOf(institutionId: string): Promise<Contact[]>;
  remindersOfStage(pairingId: string, kind: string, year: number, stage: string): Promise<ReminderRecord[]>;
  /** Writes the record as `sending` unless it exists (a stale `sending` claim older than `staleBefore` is taken over). */
  claimReminder(record: ReminderRecord, staleBefore: string): Promise<boolean>;
  completeReminder(
    record: ReminderRecord,
    outcome: Pick<ReminderRecord, 'status' | 'sentAt' | 'messageId' | 'recipients' | 'reason'>,
  ): Promise<void>;
  /** Deletes this run's `sending` claim so a later run sends it. */
  releaseReminder(record: ReminderRecord): Promise<void>;
  addressStatuses(emails: readonly string[]): Promise<AddressStatus[]>;
  markAddressRejected(status: AddressStatus): Promise<void>;
}

export interface Mailer {
  /**
   * Sends one message; resolves with the provider's message id. `onDispatch` runs right before the
   * provider is called (after any pacing), so the caller can record that the outcome is now uncertain.
   */
  send(email: OutboundEmail, hooks?: { onDispatch?: () => Promise<void> }): Promise<{ messageId: string }>;
}

/** The provider refused the message because of its recipients: permanent, do not retry. */
export class RecipientRejectedError extends Error {
  override readonly name = 'RecipientRejectedError';
}

export interface ReminderRenderer {
  render(view: ReminderView, envelope: { from: string; to: string[]; cc: string[] }): OutboundEmail;
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
