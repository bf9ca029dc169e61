/**
 * Every port the use cases need from the outside world, in one place: stores (each narrowed to what
 * its use case reads and writes), mail, files, tickets and renderers. Adapters implement them; the
 * CLI, the Lambdas and the tests wire the same use cases with different implementations.
 */
import type {
  BounceNoticeView,
  DigestView,
  DocumentNoticeView,
  ForwardingReturnedView,
  OutboundEmail,
  ReminderView,
  UploadNoticeView,
} from '../domain/email.ts';
import type { ForwardingReminderView } from '../domain/forwarding-reminders.ts';
import type { DownloadTicket, UploadTicket } from '../domain/links.ts';
import type {
  Contact,
  Forwarding,
  ForwardingRecord,
  Institution,
  Obligation,
  ObligationRecord,
  Pairing,
  Place,
  PlainDate,
  Programme,
} from '../domain/model.ts';
import type {
  AddressStatus,
  DocumentRecord,
  PendingDeliveryNotice,
  ReminderRecord,
  StoredForwarding,
  StoredObligation,
  UploadLinkRecord,
  UploadSlot,
} from '../domain/records.ts';
import type { AgreementFormView } from '../domain/reports/agreement-form.ts';
import type { AgreementStatusView } from '../domain/reports/agreement-status.ts';
import type { AnnualSummaryView } from '../domain/reports/annual-summary.ts';
import type { PairingDossierView } from '../domain/reports/pairing-dossier.ts';
import type { AuditEntry } from '../domain/staff-actions.ts';
import type { Submission } from '../domain/submission.ts';

// ---- stores ----------------------------------------------------------------------------------

export interface SeedStore {
  syncInstitutions(institutions: readonly Institution[]): Promise<SyncCounts>;
  syncProgramme(programme: Programme): Promise<SyncCounts>;
  syncPairings(programmeId: string, pairings: readonly Pairing[]): Promise<SyncCounts>;
  syncObligations(programmeId: string, obligations: readonly Obligation[]): Promise<SyncCounts>;
  syncForwardings(programmeId: string, forwardings: readonly Forwarding[]): Promise<SyncCounts>;
  /**
   * Brings the programme's reminder log written by an earlier version into the current layout,
   * keeping every record; safe to re-run and to stop half-way. The number of records moved.
   */
  upgradeReminderLog(programmeId: string): Promise<number>;
  /**
   * Rewrites what an earlier version stored in a layout since replaced, keeping what it says. Safe to
   * run again, and a run cut short is finished by the next.
   */
  upgradeStoredLayout(): Promise<LayoutUpgrade>;
}

export interface LayoutUpgrade {
  /** Items of an earlier layout written into the current one and deleted; 0 once upgraded. */
  itemsReplaced: number;
}

/** City commissions' deliverables to the province (reporting-chain.ts). */
export interface ForwardingStore {
  listForwardings(programmeId: string): Promise<StoredForwarding[]>;
  /** Those still awaiting forwarding, due date in force within [from, to]: the sparse index. */
  openForwardingsDueBetween(programmeId: string, from: string, to: string): Promise<StoredForwarding[]>;
  /** Consistent read. */
  getForwarding(
    programmeId: string,
    commissionId: string,
    kind: string,
    year: number,
  ): Promise<StoredForwarding | undefined>;
  recordForwardingFacts(
    forwarding: Pick<Forwarding, 'programmeId' | 'commissionId' | 'kind' | 'year'>,
    facts: Partial<ForwardingRecord>,
  ): Promise<StoredForwarding>;
  /** A staff action's change and its audit entry, conditional on the version read. */
  replaceForwardingRecord(
    current: StoredForwarding,
    record: ForwardingRecord,
    audit: AuditEntry,
  ): Promise<StoredForwarding>;
}

/**
 * What a city commission's forwarding and the province's review of it read and write: the
 * forwardings, the records a generated status document is rendered from, and the reminder log and
 * contacts the notice of a return goes out through.
 */
export interface ForwardingActionStore extends ForwardingStore, ReportStore, ReminderStore {}

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

/** What `bangfu status` reads: a programme's records and its city commissions' forwardings. */
export interface ChainStatusStore extends StatusStore, Pick<ForwardingStore, 'listForwardings'> {}

/** One stage of one obligation's (or forwarding's) reminders: the identity one message's records share. */
export interface ReminderStageRef {
  pairingId: string;
  kind: string;
  year: number;
  stage: string;
}

/** What a send records on each address of its message. */
export type ReminderOutcome = Pick<ReminderRecord, 'status' | 'sentAt' | 'messageId' | 'reason'>;

export interface ReminderStore {
  listProgrammes(): Promise<Programme[]>;
  listInstitutions(): Promise<Institution[]>;
  /** The institutions of these ids that exist, in no particular order. */
  getInstitutions(ids: readonly string[]): Promise<Institution[]>;
  /**
   * The city health commissions of the places' cities and the county governments of their counties
   * (what domain/parties.ts looks up by place), without listing every institution.
   */
  authoritiesOf(places: readonly Place[]): Promise<Institution[]>;
  openObligationsDueBetween(
    programmeId: string,
    from: string,
    to: string,
  ): Promise<{ obligation: Obligation; record: ObligationRecord }[]>;
  /** The same obligations, in the same order, at most `pageSize` at a time. */
  openObligationsDuePages(
    programmeId: string,
    from: string,
    to: string,
    pageSize: number,
  ): AsyncIterable<{ obligation: Obligation; record: ObligationRecord }[]>;
  getObligation(
    pairingId: string,
    kind: string,
    year: number,
  ): Promise<{ obligation: Obligation; record: ObligationRecord } | undefined>;
  /**
   * The obligations named (those that exist), in batches, read consistently: a submission recorded a
   * moment ago counts. Not the whole programme's list.
   */
  getObligations(refs: readonly ObligationRef[]): Promise<StoredObligation[]>;
  getPairings(ids: readonly string[]): Promise<Pairing[]>;
  contactsOf(institutionId: string): Promise<Contact[]>;
  /** The contacts of all these institutions (each read once), in no particular order. */
  contactsOfMany(institutionIds: readonly string[]): Promise<Contact[]>;
  /** The log of one stage, read consistently: a claim taken a moment ago by another run counts. */
  remindersOfStage(pairingId: string, kind: string, year: number, stage: string): Promise<ReminderRecord[]>;
  /** The logs of many stages (a page of messages), read consistently and in batches. */
  remindersOfStages(stages: readonly ReminderStageRef[]): Promise<ReminderRecord[]>;
  /**
   * Claims the addresses of one message (records of one stage, written as given) in one conditional
   * write, all or none: false when any is held (a `sending` claim older than `staleBefore`, left by a
   * run that died before reaching the provider, counts as free).
   */
  claimReminders(records: readonly ReminderRecord[], staleBefore: string): Promise<boolean>;
  /** Records the outcome of this run's claims; an address another run holds keeps that run's. */
  completeReminders(records: readonly ReminderRecord[], outcome: ReminderOutcome): Promise<void>;
  /** Deletes this run's claims so a later run sends them. */
  releaseReminders(records: readonly ReminderRecord[]): Promise<void>;
  addressStatuses(emails: readonly string[]): Promise<AddressStatus[]>;
  markAddressRejected(status: AddressStatus): Promise<void>;
}

/**
 * What the reminders of a city commission's own deliverable read and write: the forwardings due, the
 * pairings' obligations it reports progress of, and the reminder log (send-forwarding-reminders.ts).
 */
export interface ForwardingReminderStore
  extends ReminderStore,
    Pick<ForwardingStore, 'openForwardingsDueBetween' | 'getForwarding'> {}

/** Obligations of one kind, and of one year where given. */
export interface ObligationFilter {
  kind: string;
  year?: number;
}

/** Which obligation: its pairing, kind and year. */
export interface ObligationRef {
  pairingId: string;
  kind: string;
  year: number;
}

/** What a worker reminding one page of the due index reads and writes: the reminders' store, by key. */
export type DuePageStore = ReminderStore;

// ---- work queues -----------------------------------------------------------------------------

/**
 * One page of the due index, handed from the daily tick to a worker: which obligations of which
 * programme, for which Beijing day, by business identity only (no timestamps, no request ids), so a
 * page delivered twice names the same sends and the exactly-once records make the repeat send nothing.
 */
export interface DuePage {
  programmeId: string;
  day: PlainDate;
  /** At most a page of the due index (200 by default). */
  obligations: ObligationRef[];
}

/** Where the daily tick leaves pages of due obligations for workers to remind. */
export interface ReminderWorkQueue {
  /** Resolves once every page is accepted (or, in process, worked on); throws when one is not. */
  enqueue(pages: readonly DuePage[]): Promise<void>;
}

export interface UploadStore {
  listProgrammes(): Promise<Programme[]>;
  listInstitutions(): Promise<Institution[]>;
  getPairings(ids: readonly string[]): Promise<Pairing[]>;
  getObligation(
    pairingId: string,
    kind: string,
    year: number,
  ): Promise<{ obligation: Obligation; record: ObligationRecord } | undefined>;
  submissionsOfPairing(pairingId: string): Promise<Submission[]>;
  getUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
  ): Promise<UploadLinkRecord | undefined>;
  /**
   * The link records, in the order given, each created at generation 1 if there is none yet
   * (concurrent callers agree); the existing ones read in batches, consistently, so a revocation a
   * moment ago counts.
   */
  ensureUploadLinks(records: readonly UploadLinkRecord[]): Promise<UploadLinkRecord[]>;
  revokeUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
    at: string,
  ): Promise<UploadLinkRecord>;
  putUploadSlot(slot: UploadSlot): Promise<void>;
  getUploadSlot(pairingId: string, slotId: string): Promise<UploadSlot | undefined>;
}

export interface IngestStore extends UploadStore, ReminderStore {
  claimUploadSlot(
    pairingId: string,
    slotId: string,
    claim: { objectETag: string; receivedAt: string },
  ): Promise<UploadSlot | undefined>;
  finishUploadSlot(
    pairingId: string,
    slotId: string,
    outcome: Pick<UploadSlot, 'state' | 'reason' | 'problemCode' | 'submissionVersion' | 'finishedAt'>,
  ): Promise<boolean>;
  appendSubmission(submission: Omit<Submission, 'version'>): Promise<Submission>;
  recordObligationFacts(
    pairingId: string,
    kind: string,
    year: number,
    facts: { submittedAt?: string },
  ): Promise<unknown>;
}

/** The store reads the documents need (the dossier shows the pairing's audit log too). */
export interface ReportStore {
  listProgrammes(): Promise<Programme[]>;
  listInstitutions(): Promise<Institution[]>;
  listPairings(programmeId: string): Promise<Pairing[]>;
  getPairings(ids: readonly string[]): Promise<Pairing[]>;
  /** The programme's obligations, or only those of one kind (and year): a document reads its own. */
  listObligations(programmeId: string, only?: ObligationFilter): Promise<StoredObligation[]>;
  submissionsOfProgramme(programmeId: string, kind?: string, year?: number): Promise<Submission[]>;
  submissionsOfPairing(pairingId: string): Promise<Submission[]>;
  /** One pairing's obligations and reminder log, from its own partition (never the programme's). */
  obligationsOfPairing(pairingId: string): Promise<StoredObligation[]>;
  remindersOfPairing(pairingId: string): Promise<ReminderRecord[]>;
  auditEntries(scope: AuditScope): Promise<AuditEntry[]>;
  /** The city commissions' forwardings: the status documents' section on the reporting chain. */
  listForwardings(programmeId: string): Promise<StoredForwarding[]>;
}

/**
 * What the console's pairing page reads besides a programme's records (StatusStore): the obligations
 * as stored (with their audit logs), the pairing, its uploads, the reminder log, the parties' contacts
 * and the addresses that failed.
 */
export interface PairingDetailStore extends StatusStore {
  /** One pairing's obligations, as stored (with their audit logs): its partition, not the programme's. */
  obligationsOfPairing(pairingId: string): Promise<StoredObligation[]>;
  getPairings(ids: readonly string[]): Promise<Pairing[]>;
  submissionsOfPairing(pairingId: string): Promise<Submission[]>;
  remindersOfPairing(pairingId: string): Promise<ReminderRecord[]>;
  contactsOf(institutionId: string): Promise<Contact[]>;
  addressStatuses(emails: readonly string[]): Promise<AddressStatus[]>;
}

export interface DocumentStore extends ReportStore {
  putDocument(record: DocumentRecord): Promise<boolean>;
  getDocument(id: string): Promise<DocumentRecord | undefined>;
  listDocuments(): Promise<DocumentRecord[]>;
}

export interface PublishStore extends ReminderStore {
  listPairings(programmeId: string): Promise<Pairing[]>;
  listObligations(programmeId: string): Promise<{ obligation: Obligation; record: ObligationRecord }[]>;
}

/** What a staff action on an obligation reads and writes. */
export interface ObligationActionStore extends ReminderStore {
  getObligation(pairingId: string, kind: string, year: number): Promise<StoredObligation | undefined>;
  /**
   * Writes `record` and appends `audit` to the obligation's log in one conditional write on
   * `current.version`; ConcurrentChangeError when someone changed it since it was read.
   */
  replaceObligationRecord(
    current: StoredObligation,
    record: ObligationRecord,
    audit: AuditEntry,
  ): Promise<StoredObligation>;
  submissionsOfObligation(pairingId: string, kind: string, year: number): Promise<Submission[]>;
}

/** Whose log an audit query reads, and from when (an ISO instant, inclusive). */
export interface AuditScope {
  programmeId?: string;
  pairingId?: string;
  since?: string;
}

/**
 * The audit entries not kept on an obligation's item: sign-ins, contact changes, revoked links.
 * Append-only: an entry is never changed or deleted.
 */
export interface AuditStore {
  /**
   * Writes the entry unless its log holds one with its id already: false then (a repeat). The entry
   * names its programme, and its pairing when it is about one (RangeError without a programme).
   */
  appendAudit(entry: AuditEntry): Promise<boolean>;
  /**
   * A pairing's entries (`pairingId`, one Query, read consistently), or a programme's with its
   * pairings' (`programmeId`, through the programme index, which lags a write by a moment), from
   * `since` on, oldest first. RangeError when naming neither: the log is never scanned.
   */
  auditEntries(scope: AuditScope): Promise<AuditEntry[]>;
}

/**
 * What a pairing's or a programme's whole log is read from: the obligations' entries, the city
 * commissions' forwardings' entries, and the store's.
 */
export interface AuditLogStore extends AuditStore, Pick<ForwardingStore, 'listForwardings'> {
  listProgrammes(): Promise<Programme[]>;
  getPairings(ids: readonly string[]): Promise<Pairing[]>;
  listObligations(programmeId: string): Promise<StoredObligation[]>;
}

/** The plans as jurisdiction over an institution is decided from: programmes, pairings, institutions. */
export interface PlanReader {
  listProgrammes(): Promise<Programme[]>;
  listPairings(programmeId: string): Promise<Pairing[]>;
  listInstitutions(): Promise<Institution[]>;
}

/** What an admin's correction or removal of a contact reads and writes. */
export interface ContactActionStore extends PlanReader, AuditStore {
  contactsOf(institutionId: string): Promise<Contact[]>;
  /** Writes the contact (its key: institution and address, in any case) whatever was stored under it. */
  putContact(contact: Contact): Promise<void>;
  /** Deletes the contact if it is there; false when it is not (never there, or removed meanwhile). */
  removeContact(institutionId: string, email: string): Promise<boolean>;
}

/** What revoking a pairing's upload links reads and writes. */
export interface LinkActionStore
  extends AuditStore,
    Pick<UploadStore, 'listProgrammes' | 'listInstitutions' | 'getPairings' | 'revokeUploadLink'> {
  /** Every link issued for the pairing's obligations, read consistently. */
  uploadLinksOfPairing(pairingId: string): Promise<UploadLinkRecord[]>;
}

/** What recording a staff sign-in reads and writes. */
export interface SignInStore extends PlanReader, AuditStore {}

/** Notices of bounces and complaints held over a non-working day, for a working day's tick. */
export interface PendingNoticeStore {
  /** Writes the notice unless one with its identity is held already (a redelivered event): false then. */
  holdDeliveryNotice(notice: PendingDeliveryNotice): Promise<boolean>;
  /** Every notice held, in the order of SES's time, read consistently. */
  pendingDeliveryNotices(): Promise<PendingDeliveryNotice[]>;
  /** Deletes the held notice if it is there; false when it is not (removed by another run). */
  removePendingDeliveryNotice(
    notice: Pick<PendingDeliveryNotice, 'at' | 'messageId' | 'email'>,
  ): Promise<boolean>;
}

export interface DeliveryProblemStore extends ReminderStore, PendingNoticeStore {
  listContacts(): Promise<Contact[]>;
  listPairings(programmeId: string): Promise<Pairing[]>;
}

/**
 * Every store port at once: what a composition hands its use cases. The DynamoDB store and its
 * in-memory twin both implement it.
 */
export type AppStore = SeedStore &
  ForwardingActionStore &
  ForwardingReminderStore &
  ObligationActionStore &
  AuditLogStore &
  ContactActionStore &
  LinkActionStore &
  SignInStore &
  RosterStore &
  StatusStore &
  IngestStore &
  DocumentStore &
  PublishStore &
  DeliveryProblemStore;

// ---- time ------------------------------------------------------------------------------------

/**
 * The time a claim's lease is measured in. A lease asks whether the run holding a claim is still
 * alive, so on AWS and locally this is the wall clock, even while a replay simulates "now"; tests pass
 * a clock of their own to let a lease run out without waiting for it.
 */
export interface LeaseClock {
  now(): Date;
}

// ---- mail ------------------------------------------------------------------------------------

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

export interface ForwardingReminderRenderer {
  render(view: ForwardingReminderView, envelope: { from: string; to: string[]; cc: string[] }): OutboundEmail;
}

export interface NoticeRenderer {
  render(
    template: 'receipt' | 'rejection' | 'returned',
    view: UploadNoticeView,
    envelope: { from: string; to: string[]; cc: string[] },
  ): OutboundEmail;
}

export interface StaffMailRenderer {
  document(
    view: DocumentNoticeView,
    envelope: { from: string; to: string[]; cc: string[] },
    trace: string,
  ): OutboundEmail;
  digest(
    view: DigestView,
    envelope: { from: string; to: string[]; cc: string[] },
    trace: string,
  ): OutboundEmail;
  bounce(
    view: BounceNoticeView,
    envelope: { from: string; to: string[]; cc: string[] },
    trace: string,
  ): OutboundEmail;
  /** A city commission's forwarding returned by the province; `trace` is the forwarding's id. */
  forwardingReturned(
    view: ForwardingReturnedView,
    envelope: { from: string; to: string[]; cc: string[] },
    trace: string,
  ): OutboundEmail;
}

// ---- files -----------------------------------------------------------------------------------

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** One object as read from the bucket. */
export interface StoredObject {
  size: number;
  /** Identifies this object's content at its key: a later object at the same key has another. */
  etag: string;
  /** When S3 received it, by S3's clock. */
  lastModified: Date;
  versionId?: string;
  /** Absent when the object is larger than was asked for: its content is not downloaded. */
  bytes?: Uint8Array;
}

export interface FileStore {
  /** The object (that version, where given), its content only up to `maxBytes`; undefined when gone. */
  read(
    bucket: string,
    key: string,
    options: { versionId?: string; maxBytes: number },
  ): Promise<StoredObject | undefined>;
  /** Stores bytes under a key written once: writing it again leaves the first write in place. */
  write(bucket: string, key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Removes the object at `key` only while it is still the one with `etag`. */
  remove(bucket: string, key: string, etag: string): Promise<void>;
}

/** Short-lived downloads of submitted files, served under their own type and the uploader's name. */
export interface SubmissionFiles {
  presignGet(
    object: { bucket: string; key: string; versionId?: string },
    download: { filename: string; contentType: string },
    expiresInSeconds: number,
  ): Promise<string>;
}

export interface DocumentFiles {
  put(bucket: string, key: string, body: Uint8Array, contentType: string, filename: string): Promise<void>;
  presignGet(bucket: string, key: string, filename: string, expiresInSeconds: number): Promise<string>;
}

// ---- tickets ---------------------------------------------------------------------------------

/** Signs and checks personal upload links (the generation is checked against the store). */
export interface UploadTickets {
  issue(ticket: UploadTicket): Promise<string>;
  verify(token: string, now: Date): Promise<UploadTicket>;
}

export interface DownloadTickets {
  issue(ticket: DownloadTicket): Promise<string>;
  verify(token: string, now: Date): Promise<DownloadTicket>;
}

// ---- documents -------------------------------------------------------------------------------

/** The renderers, a port so a test or another output format can stand in. */
export interface ReportRenderers {
  agreements(view: AgreementStatusView): Promise<Buffer>;
  annual(view: AnnualSummaryView): Promise<Buffer>;
  pairing(view: PairingDossierView): Promise<Buffer>;
  form(view: AgreementFormView): Promise<Buffer>;
}

// ---- the simulated clock (local stack only) --------------------------------------------------

/** What a move of the simulated clock did: the days whose daily tick ran, in order. */
export interface ClockAdvance {
  from: Date;
  to: Date;
  ticks: { day: PlainDate; messages: number; failed: number }[];
}

/**
 * The local stack's simulated "now", which staff may move forward from the console. Only the local
 * composition provides it; on AWS there is no simulated clock and no such control.
 */
export interface ClockControl {
  /** The simulated now, or undefined while the stack runs on the wall clock. */
  simulatedNow(): Date | undefined;
  /** Moves the simulated now forward to `to`, running the daily tick of each day passed, in order. */
  advanceTo(to: Date): Promise<ClockAdvance>;
}

/** What the next-reminder-stage move reads: the open obligations and forwardings by due date. */
export interface ReminderDayStore
  extends Pick<ReminderStore, 'listProgrammes' | 'openObligationsDueBetween'>,
    Pick<ForwardingStore, 'openForwardingsDueBetween'> {}
