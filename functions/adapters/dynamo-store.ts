/**
 * The DynamoDB store: every store port (use-cases/ports.ts) on the one table, as one object for the
 * compositions, the CLI and the tests. Each aggregate has its module under store/ (plans, contacts and
 * addresses, submissions, upload links and slots, the reminder log, documents, the audit log, the
 * notices held over a non-working day) over the shared table
 * access of store/table.ts; this facade only hands each call to its aggregate. Keys come from
 * dynamo-keys.ts.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Contact,
  Forwarding,
  ForwardingRecord,
  Institution,
  Obligation,
  ObligationRecord,
  Pairing,
  Place,
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
import type { AuditEntry } from '../domain/staff-actions.ts';
import type { Submission } from '../domain/submission.ts';
import type {
  AppStore,
  AuditScope,
  LayoutUpgrade,
  ObligationFilter,
  ObligationRef,
  ReminderOutcome,
  ReminderStageRef,
  SyncCounts,
} from '../use-cases/ports.ts';
import { DynamoAudit } from './store/audit.ts';
import { DynamoContacts } from './store/contacts.ts';
import { DynamoPendingNotices } from './store/delivery-notices.ts';
import { DynamoDocuments } from './store/documents.ts';
import { DynamoForwardings } from './store/forwardings.ts';
import { DynamoPlans } from './store/plans.ts';
import { DynamoReminderLog } from './store/reminders.ts';
import { DynamoSubmissions } from './store/submissions.ts';
import { Table } from './store/table.ts';
import { DynamoUploads } from './store/uploads.ts';

export { ItemTooLargeError } from './dynamo-item-size.ts';
export { canonical } from './store/sync.ts';
export { ConcurrentChangeError } from './store/table.ts';
export { UNUSED_SLOT_RETENTION_DAYS } from './store/uploads.ts';

export class DynamoStore implements AppStore {
  private readonly plans: DynamoPlans;
  private readonly forwardings: DynamoForwardings;
  private readonly contacts: DynamoContacts;
  private readonly submissions: DynamoSubmissions;
  private readonly uploads: DynamoUploads;
  private readonly reminders: DynamoReminderLog;
  private readonly documents: DynamoDocuments;
  private readonly audit: DynamoAudit;
  private readonly pendingNotices: DynamoPendingNotices;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    const table = new Table(client, tableName);
    this.plans = new DynamoPlans(table);
    this.forwardings = new DynamoForwardings(table);
    this.contacts = new DynamoContacts(table);
    this.submissions = new DynamoSubmissions(table);
    this.uploads = new DynamoUploads(table);
    this.reminders = new DynamoReminderLog(table);
    this.documents = new DynamoDocuments(table);
    this.audit = new DynamoAudit(table);
    this.pendingNotices = new DynamoPendingNotices(table);
  }

  // ---- plans: institutions, programmes, pairings, obligations --------------------------------

  listInstitutions(): Promise<Institution[]> {
    return this.plans.listInstitutions();
  }
  getInstitutions(ids: readonly string[]): Promise<Institution[]> {
    return this.plans.getInstitutions(ids);
  }
  authoritiesOf(places: readonly Place[]): Promise<Institution[]> {
    return this.plans.authoritiesOf(places);
  }
  listProgrammes(): Promise<Programme[]> {
    return this.plans.listProgrammes();
  }
  listPairings(programmeId: string): Promise<Pairing[]> {
    return this.plans.listPairings(programmeId);
  }
  getPairings(ids: readonly string[]): Promise<Pairing[]> {
    return this.plans.getPairings(ids);
  }
  obligationsOfPairing(pairingId: string): Promise<StoredObligation[]> {
    return this.plans.obligationsOfPairing(pairingId);
  }
  listObligations(programmeId: string, only?: ObligationFilter): Promise<StoredObligation[]> {
    return this.plans.listObligations(programmeId, only);
  }
  openObligationsDueBetween(programmeId: string, from: string, to: string): Promise<StoredObligation[]> {
    return this.plans.openObligationsDueBetween(programmeId, from, to);
  }
  openObligationsDuePages(
    programmeId: string,
    from: string,
    to: string,
    pageSize: number,
  ): AsyncIterable<StoredObligation[]> {
    return this.plans.openObligationsDuePages(programmeId, from, to, pageSize);
  }
  getObligations(refs: readonly ObligationRef[]): Promise<StoredObligation[]> {
    return this.plans.getObligations(refs);
  }

  getObligation(pairingId: string, kind: string, year: number): Promise<StoredObligation | undefined> {
    return this.plans.getObligation(pairingId, kind, year);
  }
  syncInstitutions(institutions: readonly Institution[]): Promise<SyncCounts> {
    return this.plans.syncInstitutions(institutions);
  }
  syncProgramme(programme: Programme): Promise<SyncCounts> {
    return this.plans.syncProgramme(programme);
  }
  syncPairings(programmeId: string, pairings: readonly Pairing[]): Promise<SyncCounts> {
    return this.plans.syncPairings(programmeId, pairings);
  }
  /** The one earlier layout: a contact per item, before each institution's contacts were one item. */
  async upgradeStoredLayout(): Promise<LayoutUpgrade> {
    return { itemsReplaced: await this.contacts.foldLegacyContacts() };
  }
  // ---- city commissions' deliverables ------------------------------------------------------

  syncForwardings(programmeId: string, forwardings: readonly Forwarding[]): Promise<SyncCounts> {
    return this.forwardings.syncForwardings(programmeId, forwardings);
  }
  upgradeReminderLog(programmeId: string): Promise<number> {
    return this.reminders.upgradeLegacyReminders(programmeId);
  }

  listForwardings(programmeId: string): Promise<StoredForwarding[]> {
    return this.forwardings.listForwardings(programmeId);
  }

  openForwardingsDueBetween(programmeId: string, from: string, to: string): Promise<StoredForwarding[]> {
    return this.forwardings.openForwardingsDueBetween(programmeId, from, to);
  }

  getForwarding(
    programmeId: string,
    commissionId: string,
    kind: string,
    year: number,
  ): Promise<StoredForwarding | undefined> {
    return this.forwardings.getForwarding(programmeId, commissionId, kind, year);
  }

  recordForwardingFacts(
    forwarding: Pick<Forwarding, 'programmeId' | 'commissionId' | 'kind' | 'year'>,
    facts: Partial<ForwardingRecord>,
  ): Promise<StoredForwarding> {
    return this.forwardings.recordForwardingFacts(forwarding, facts);
  }

  replaceForwardingRecord(
    current: StoredForwarding,
    record: ForwardingRecord,
    audit: AuditEntry,
  ): Promise<StoredForwarding> {
    return this.forwardings.replaceForwardingRecord(current, record, audit);
  }

  syncObligations(programmeId: string, obligations: readonly Obligation[]): Promise<SyncCounts> {
    return this.plans.syncObligations(programmeId, obligations);
  }
  replaceObligationRecord(
    current: StoredObligation,
    record: ObligationRecord,
    audit: AuditEntry,
  ): Promise<StoredObligation> {
    return this.plans.replaceObligationRecord(current, record, audit);
  }

  recordObligationFacts(
    pairingId: string,
    kind: string,
    year: number,
    facts: Partial<ObligationRecord>,
  ): Promise<StoredObligation> {
    return this.plans.recordObligationFacts(pairingId, kind, year, facts);
  }

  // ---- contacts and address statuses ---------------------------------------------------------

  listContacts(): Promise<Contact[]> {
    return this.contacts.listContacts();
  }
  contactsOf(institutionId: string): Promise<Contact[]> {
    return this.contacts.contactsOf(institutionId);
  }
  contactsOfMany(institutionIds: readonly string[]): Promise<Contact[]> {
    return this.contacts.contactsOfMany(institutionIds);
  }
  syncContacts(contacts: readonly Contact[]): Promise<SyncCounts> {
    return this.contacts.syncContacts(contacts);
  }
  putContact(contact: Contact): Promise<void> {
    return this.contacts.putContact(contact);
  }
  removeContact(institutionId: string, email: string): Promise<boolean> {
    return this.contacts.removeContact(institutionId, email);
  }
  addressStatuses(emails: readonly string[]): Promise<AddressStatus[]> {
    return this.contacts.addressStatuses(emails);
  }
  markAddressRejected(status: AddressStatus): Promise<void> {
    return this.contacts.markAddressRejected(status);
  }

  // ---- submissions ---------------------------------------------------------------------------

  appendSubmission(submission: Omit<Submission, 'version'>): Promise<Submission> {
    return this.submissions.appendSubmission(submission);
  }
  submissionsOfObligation(pairingId: string, kind: string, year: number): Promise<Submission[]> {
    return this.submissions.submissionsOfObligation(pairingId, kind, year);
  }
  submissionsOfPairing(pairingId: string): Promise<Submission[]> {
    return this.submissions.submissionsOfPairing(pairingId);
  }
  submissionsOfProgramme(programmeId: string, kind?: string, year?: number): Promise<Submission[]> {
    return this.submissions.submissionsOfProgramme(programmeId, kind, year);
  }

  // ---- upload links and slots ----------------------------------------------------------------

  getUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
  ): Promise<UploadLinkRecord | undefined> {
    return this.uploads.getUploadLink(pairingId, kind, year, institutionId);
  }
  ensureUploadLinks(records: readonly UploadLinkRecord[]): Promise<UploadLinkRecord[]> {
    return this.uploads.ensureUploadLinks(records);
  }
  uploadLinksOfPairing(pairingId: string): Promise<UploadLinkRecord[]> {
    return this.uploads.uploadLinksOfPairing(pairingId);
  }
  revokeUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
    at: string,
  ): Promise<UploadLinkRecord> {
    return this.uploads.revokeUploadLink(pairingId, kind, year, institutionId, at);
  }
  putUploadSlot(slot: UploadSlot): Promise<void> {
    return this.uploads.putUploadSlot(slot);
  }
  getUploadSlot(pairingId: string, slotId: string): Promise<UploadSlot | undefined> {
    return this.uploads.getUploadSlot(pairingId, slotId);
  }
  claimUploadSlot(
    pairingId: string,
    slotId: string,
    claim: { objectETag: string; receivedAt: string },
  ): Promise<UploadSlot | undefined> {
    return this.uploads.claimUploadSlot(pairingId, slotId, claim);
  }
  finishUploadSlot(
    pairingId: string,
    slotId: string,
    outcome: Pick<UploadSlot, 'state' | 'reason' | 'problemCode' | 'submissionVersion' | 'finishedAt'>,
  ): Promise<boolean> {
    return this.uploads.finishUploadSlot(pairingId, slotId, outcome);
  }

  // ---- reminder log --------------------------------------------------------------------------

  remindersOfStage(pairingId: string, kind: string, year: number, stage: string): Promise<ReminderRecord[]> {
    return this.reminders.remindersOfStage(pairingId, kind, year, stage);
  }
  remindersOfPairing(pairingId: string): Promise<ReminderRecord[]> {
    return this.reminders.remindersOfPairing(pairingId);
  }
  remindersOfProgramme(programmeId: string): Promise<ReminderRecord[]> {
    return this.reminders.remindersOfProgramme(programmeId);
  }
  remindersOfStages(stages: readonly ReminderStageRef[]): Promise<ReminderRecord[]> {
    return this.reminders.remindersOfStages(stages);
  }
  claimReminders(records: readonly ReminderRecord[], staleBefore: string): Promise<boolean> {
    return this.reminders.claimReminders(records, staleBefore);
  }
  completeReminders(records: readonly ReminderRecord[], outcome: ReminderOutcome): Promise<void> {
    return this.reminders.completeReminders(records, outcome);
  }
  releaseReminders(records: readonly ReminderRecord[]): Promise<void> {
    return this.reminders.releaseReminders(records);
  }

  // ---- bounce and complaint notices held over a non-working day -------------------------------

  holdDeliveryNotice(notice: PendingDeliveryNotice): Promise<boolean> {
    return this.pendingNotices.holdDeliveryNotice(notice);
  }
  pendingDeliveryNotices(): Promise<PendingDeliveryNotice[]> {
    return this.pendingNotices.pendingDeliveryNotices();
  }
  removePendingDeliveryNotice(
    notice: Pick<PendingDeliveryNotice, 'at' | 'messageId' | 'email'>,
  ): Promise<boolean> {
    return this.pendingNotices.removePendingDeliveryNotice(notice);
  }

  // ---- generated documents -------------------------------------------------------------------

  putDocument(record: DocumentRecord): Promise<boolean> {
    return this.documents.putDocument(record);
  }
  getDocument(id: string): Promise<DocumentRecord | undefined> {
    return this.documents.getDocument(id);
  }
  listDocuments(): Promise<DocumentRecord[]> {
    return this.documents.listDocuments();
  }

  // ---- audit log beyond obligations ----------------------------------------------------------

  appendAudit(entry: AuditEntry): Promise<boolean> {
    return this.audit.appendAudit(entry);
  }
  auditEntries(scope: AuditScope): Promise<AuditEntry[]> {
    return this.audit.auditEntries(scope);
  }
}
