/**
 * The in-memory twin of the DynamoDB store: every store port (AppStore) on plain maps, so use-case
 * tests run in milliseconds with no stand-in. It keeps the semantics the use cases rely on, and the
 * contract suite (test/contract/store.contract.ts) holds it to them against the real store:
 *
 * - conditional writes: a document, link, slot, submission version, audit entry or held notice is
 *   written only if absent; a held notice deleted only if it is there; an obligation only at the version read; a reminder claim only if absent or a stale
 *   `sending` one; completing or releasing a claim only by the run holding it; a contact removed only
 *   if it is there;
 * - every read sees every write at once, as the real store's consistent reads do where a use case
 *   reads its own writes (DynamoDB's indexes lag behind the table: neither this twin nor dynalite
 *   shows that);
 * - the sparse due-date index: only obligations awaiting submission are due;
 * - results in the order of the table's sort keys, and copies in and out (as plain data, like items);
 * - items over DynamoDB's 400 KB refused before anything of the write is stored (ItemTooLargeError),
 *   an institution's contacts measured together, as the one item the real store keeps them in.
 *
 * A check and its write happen with no await between them, which is how each conditional write is
 * atomic here, as it is per item in DynamoDB.
 */
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
} from '../../domain/model.ts';
import type {
  AddressStatus,
  DocumentRecord,
  PendingDeliveryNotice,
  ReminderRecord,
  StoredForwarding,
  StoredObligation,
  UploadLinkRecord,
  UploadSlot,
} from '../../domain/records.ts';
import { forwardingId } from '../../domain/reporting-chain.ts';
import type { AuditEntry } from '../../domain/staff-actions.ts';
import type { Submission } from '../../domain/submission.ts';
import { awaitsSubmission, effectiveDueDate, recordFacts } from '../../domain/timeline.ts';
import type {
  AppStore,
  AuditScope,
  LayoutUpgrade,
  ObligationFilter,
  ObligationRef,
  ReminderOutcome,
  ReminderStageRef,
  SyncCounts,
} from '../../use-cases/ports.ts';
import { assertEachFits } from '../dynamo-item-size.ts';
import { type ItemKeys, keys } from '../dynamo-keys.ts';
import { byTime } from '../store/audit.ts';
import { authoritiesAmong } from '../store/plans.ts';
import { withRecipients } from '../store/reminders.ts';
import { canonical, obligationChanges, writeChanges } from '../store/sync.ts';
import { ConcurrentChangeError } from '../store/table.ts';

export class MemoryStore implements AppStore {
  private readonly institutions = new Map<string, Institution>();
  private readonly programmes = new Map<string, Programme>();
  /** By pairing id, with the programme it was synced under. */
  private readonly pairings = new Map<string, { programmeId: string; pairing: Pairing }>();
  /** By `${pairingId}#${kind}#${year}`. */
  private readonly obligations = new Map<string, StoredObligation>();
  /** City commissions' deliverables, by forwarding id. */
  private readonly forwardings = new Map<string, StoredForwarding>();
  /** By `${institutionId}#${email in lower case}`. */
  private readonly contacts = new Map<string, Contact>();
  /** By address in lower case. */
  private readonly addresses = new Map<string, AddressStatus>();
  /** By `${pairingId}#${kind}#${year}#${version}`. */
  private readonly submissions = new Map<string, Submission>();
  /** By `${pairingId}#${kind}#${year}#${institutionId}`. */
  private readonly links = new Map<string, UploadLinkRecord>();
  /** By `${pairingId}#${slotId}`. */
  private readonly slots = new Map<string, UploadSlot>();
  /** By `${pairingId}#${kind}#${year}#${stage}#${email in lower case}`. */
  private readonly reminders = new Map<string, ReminderRecord>();
  private readonly documents = new Map<string, DocumentRecord>();
  /** By the item's `${PK}#${SK}`: the pairing's or programme's partition, and the entry's id. */
  private readonly audit = new Map<string, AuditEntry>();
  /** Bounce and complaint notices held for a working day, by the item's SK (`${at}#${messageId}#${email}`). */
  private readonly pendingNotices = new Map<string, PendingDeliveryNotice>();

  // ---- plans: institutions, programmes, pairings, obligations --------------------------------

  async listInstitutions(): Promise<Institution[]> {
    return sorted([...this.institutions.values()], (i) => i.id);
  }

  async getInstitutions(ids: readonly string[]): Promise<Institution[]> {
    return [...new Set(ids)].flatMap((id) => {
      const found = this.institutions.get(id);
      return found ? [copy(found)] : [];
    });
  }

  async authoritiesOf(places: readonly Place[]): Promise<Institution[]> {
    return authoritiesAmong([...this.institutions.values()], places).map(copy);
  }

  async listProgrammes(): Promise<Programme[]> {
    return sorted([...this.programmes.values()], (p) => p.id);
  }

  async listPairings(programmeId: string): Promise<Pairing[]> {
    const of = [...this.pairings.values()].filter((p) => p.programmeId === programmeId);
    return sorted(
      of.map((p) => p.pairing),
      (p) => p.id,
    );
  }

  async getPairings(ids: readonly string[]): Promise<Pairing[]> {
    return [...new Set(ids)].flatMap((id) => {
      const found = this.pairings.get(id);
      return found ? [copy(found.pairing)] : [];
    });
  }

  /** In order of the due date in force. */
  async listObligations(programmeId: string, only?: ObligationFilter): Promise<StoredObligation[]> {
    const of = [...this.obligations.values()].filter(
      ({ obligation }) =>
        obligation.programmeId === programmeId &&
        (!only ||
          (obligation.kind === only.kind && (only.year === undefined || obligation.year === only.year))),
    );
    return sorted(of, (s) => `${s.obligation.effectiveDueDate}#${s.obligation.id}`);
  }

  async obligationsOfPairing(pairingId: string): Promise<StoredObligation[]> {
    const of = [...this.obligations.values()].filter((s) => s.obligation.pairingId === pairingId);
    return sorted(of, (s) => `${s.obligation.effectiveDueDate}#${s.obligation.id}`);
  }

  /** The sparse index: obligations awaiting submission, due date in force within [from, to]. */
  async openObligationsDueBetween(
    programmeId: string,
    from: string,
    to: string,
  ): Promise<StoredObligation[]> {
    const due = [...this.obligations.values()].filter(
      ({ obligation, record }) =>
        obligation.programmeId === programmeId &&
        awaitsSubmission(record) &&
        obligation.effectiveDueDate >= from &&
        obligation.effectiveDueDate <= to,
    );
    return sorted(due, (s) => `${s.obligation.effectiveDueDate}#${s.obligation.id}`);
  }

  async *openObligationsDuePages(
    programmeId: string,
    from: string,
    to: string,
    pageSize: number,
  ): AsyncGenerator<StoredObligation[]> {
    const due = await this.openObligationsDueBetween(programmeId, from, to);
    for (let i = 0; i < due.length; i += pageSize) yield due.slice(i, i + pageSize);
  }

  async getObligations(refs: readonly ObligationRef[]): Promise<StoredObligation[]> {
    const ids = new Set(refs.map((r) => `${r.pairingId}#${r.kind}#${r.year}`));
    return [...ids].flatMap((id) => {
      const found = this.obligations.get(id);
      return found ? [copy(found)] : [];
    });
  }

  async getObligation(pairingId: string, kind: string, year: number): Promise<StoredObligation | undefined> {
    return copyOf(this.obligations.get(`${pairingId}#${kind}#${year}`));
  }

  async syncInstitutions(institutions: readonly Institution[]): Promise<SyncCounts> {
    return this.syncEntities(
      this.institutions,
      institutions,
      (i) => i.id,
      (i) => item(keys.institution(i.id), 'institution', i),
    );
  }

  async syncProgramme(programme: Programme): Promise<SyncCounts> {
    return this.syncEntities(
      this.programmes,
      [programme],
      (p) => p.id,
      (p) => item(keys.programme(p.id), 'programme', p),
    );
  }

  async syncPairings(programmeId: string, pairings: readonly Pairing[]): Promise<SyncCounts> {
    const existing = await this.listPairings(programmeId);
    return writeChanges(
      existing,
      pairings,
      (p) => p.id,
      async (changed) => {
        assertEachFits(changed.map((p) => item(keys.pairing(programmeId, p.id), 'pairing', p)));
        for (const p of changed) this.pairings.set(p.id, { programmeId, pairing: copy(p) });
      },
    );
  }

  // ---- city commissions' deliverables ------------------------------------------------------

  async listForwardings(programmeId: string): Promise<StoredForwarding[]> {
    const of = [...this.forwardings.values()].filter((s) => s.forwarding.programmeId === programmeId);
    return sorted(of, (s) => `${s.forwarding.effectiveDueDate}#${s.forwarding.id}`);
  }

  async openForwardingsDueBetween(
    programmeId: string,
    from: string,
    to: string,
  ): Promise<StoredForwarding[]> {
    const due = [...this.forwardings.values()].filter(
      ({ forwarding, record }) =>
        forwarding.programmeId === programmeId &&
        awaitsSubmission(record) &&
        forwarding.effectiveDueDate >= from &&
        forwarding.effectiveDueDate <= to,
    );
    return sorted(due, (s) => `${s.forwarding.effectiveDueDate}#${s.forwarding.id}`);
  }

  async getForwarding(
    programmeId: string,
    commissionId: string,
    kind: string,
    year: number,
  ): Promise<StoredForwarding | undefined> {
    return copyOf(this.forwardings.get(forwardingId(programmeId, commissionId, kind, year)));
  }

  /** Nothing to do: this store has only ever held the current layout. */
  async upgradeReminderLog(_programmeId: string): Promise<number> {
    return 0;
  }

  async syncForwardings(programmeId: string, forwardings: readonly Forwarding[]): Promise<SyncCounts> {
    const existing = new Map((await this.listForwardings(programmeId)).map((s) => [s.forwarding.id, s]));
    let created = 0;
    let updated = 0;
    for (const definition of forwardings) {
      const current = existing.get(definition.id);
      const record = current?.record ?? {};
      const forwarding = { ...definition, effectiveDueDate: effectiveDueDate(definition.dueDate, record) };
      if (current && canonical(current.forwarding) === canonical(forwarding)) continue;
      this.putForwarding(forwarding, record, current?.version, current?.audit);
      if (current) updated++;
      else created++;
    }
    return { created, updated, unchanged: forwardings.length - created - updated };
  }

  async recordForwardingFacts(
    forwarding: Pick<Forwarding, 'programmeId' | 'commissionId' | 'kind' | 'year'>,
    facts: Partial<ForwardingRecord>,
  ): Promise<StoredForwarding> {
    const id = forwardingId(
      forwarding.programmeId,
      forwarding.commissionId,
      forwarding.kind,
      forwarding.year,
    );
    const current = this.forwardings.get(id);
    if (!current)
      throw new RangeError(`no forwarding ${forwarding.commissionId} ${forwarding.kind} ${forwarding.year}`);
    const record = { ...current.record, ...facts };
    const next = {
      ...current.forwarding,
      effectiveDueDate: effectiveDueDate(current.forwarding.dueDate, record),
    };
    this.putForwarding(next, record, current.version, current.audit);
    return copy({
      forwarding: next,
      record,
      version: current.version + 1,
      ...(current.audit ? { audit: current.audit } : {}),
    });
  }

  async replaceForwardingRecord(
    current: StoredForwarding,
    record: ForwardingRecord,
    audit: AuditEntry,
  ): Promise<StoredForwarding> {
    const forwarding = {
      ...current.forwarding,
      effectiveDueDate: effectiveDueDate(current.forwarding.dueDate, record),
    };
    const log = [...(current.audit ?? []), audit];
    this.putForwarding(forwarding, record, current.version, log);
    return copy({ forwarding, record, version: current.version + 1, audit: log });
  }

  private putForwarding(
    forwarding: Forwarding,
    record: ForwardingRecord,
    expectedVersion?: number,
    audit?: readonly AuditEntry[],
  ): void {
    const stored = this.forwardings.get(forwarding.id);
    const log = audit && audit.length > 0 ? { audit: [...audit] } : {};
    assertEachFits([
      item(keys.forwarding({ ...forwarding, needsAction: awaitsSubmission(record) }), 'forwarding', {
        ...forwarding,
        ...record,
        ...(log.audit ? { auditLog: log.audit } : {}),
        itemVersion: (expectedVersion ?? 0) + 1,
      }),
    ]);
    if (stored?.version !== expectedVersion) {
      throw new ConcurrentChangeError(
        `forwarding ${forwarding.id} changed while it was being written; run again`,
      );
    }
    this.forwardings.set(
      forwarding.id,
      copy({ forwarding, record, version: (expectedVersion ?? 0) + 1, ...log }),
    );
  }

  /** Writes obligation definitions, keeping what was recorded about each; conditional on the version read. */
  async syncObligations(programmeId: string, obligations: readonly Obligation[]): Promise<SyncCounts> {
    const { writes, counts } = obligationChanges(await this.listObligations(programmeId), obligations);
    for (const { obligation, record, expectedVersion, audit } of writes)
      this.putObligation(obligation, record, expectedVersion, audit);
    return counts;
  }

  /** Records facts about an obligation; one that no longer awaits submission is no longer due. */
  async recordObligationFacts(
    pairingId: string,
    kind: string,
    year: number,
    facts: Partial<ObligationRecord>,
  ): Promise<StoredObligation> {
    const current = this.obligations.get(`${pairingId}#${kind}#${year}`);
    if (!current) throw new RangeError(`no obligation ${pairingId}#${kind}#${year}`);
    const { obligation, record } = recordFacts(current, facts);
    this.putObligation(obligation, record, current.version, current.audit);
    return copy({
      obligation,
      record,
      version: current.version + 1,
      ...(current.audit ? { audit: current.audit } : {}),
    });
  }

  /** Stores one obligation if its version is still `expectedVersion` (absent: must not exist). */
  private putObligation(
    obligation: Obligation,
    record: ObligationRecord,
    expectedVersion?: number,
    audit?: readonly AuditEntry[],
  ): void {
    const key = `${obligation.pairingId}#${obligation.kind}#${obligation.year}`;
    const stored = this.obligations.get(key);
    const log = audit && audit.length > 0 ? { audit: [...audit] } : {};
    assertEachFits([
      item(keys.obligation({ ...obligation, needsAction: awaitsSubmission(record) }), 'obligation', {
        ...obligation,
        ...record,
        ...(log.audit ? { auditLog: log.audit } : {}),
        itemVersion: (expectedVersion ?? 0) + 1,
      }),
    ]);
    if (stored?.version !== expectedVersion) {
      throw new ConcurrentChangeError(
        `obligation ${obligation.id} changed while it was being written; run again`,
      );
    }
    this.obligations.set(key, copy({ obligation, record, version: (expectedVersion ?? 0) + 1, ...log }));
  }

  /** A staff action's change and its audit entry, conditional on the version read. */
  async replaceObligationRecord(
    current: StoredObligation,
    record: ObligationRecord,
    audit: AuditEntry,
  ): Promise<StoredObligation> {
    const { obligation } = recordFacts({ ...current, record: {} }, record);
    const log = [...(current.audit ?? []), audit];
    this.putObligation(obligation, record, current.version, log);
    return copy({ obligation, record, version: current.version + 1, audit: log });
  }

  // ---- contacts and address statuses ---------------------------------------------------------

  async listContacts(): Promise<Contact[]> {
    return sorted([...this.contacts.values()], contactId);
  }

  async contactsOf(institutionId: string): Promise<Contact[]> {
    const of = [...this.contacts.values()].filter((c) => c.institutionId === institutionId);
    return sorted(of, (c) => c.email.toLowerCase());
  }

  async contactsOfMany(institutionIds: readonly string[]): Promise<Contact[]> {
    return (await Promise.all([...new Set(institutionIds)].map((id) => this.contactsOf(id)))).flat();
  }

  async syncContacts(contacts: readonly Contact[]): Promise<SyncCounts> {
    const existing = contacts.flatMap((c) => copyOf(this.contacts.get(contactId(c))) ?? []);
    return writeChanges(existing, contacts, contactId, async (changed) => {
      this.assertRostersFit(changed);
      for (const c of changed) this.contacts.set(contactId(c), copy(c));
    });
  }

  async putContact(contact: Contact): Promise<void> {
    this.assertRostersFit([contact]);
    this.contacts.set(contactId(contact), copy(contact));
  }

  /** Nothing to upgrade: the twin holds no earlier layout. */
  async upgradeStoredLayout(): Promise<LayoutUpgrade> {
    return { itemsReplaced: 0 };
  }

  async removeContact(institutionId: string, email: string): Promise<boolean> {
    return this.contacts.delete(`${institutionId}#${email.toLowerCase()}`);
  }

  async addressStatuses(emails: readonly string[]): Promise<AddressStatus[]> {
    const unique = [...new Set(emails.map((e) => e.toLowerCase()))];
    return unique.flatMap((e) => {
      const status = this.addresses.get(e);
      return status ? [copy(status)] : [];
    });
  }

  async markAddressRejected(status: AddressStatus): Promise<void> {
    const email = status.email.toLowerCase();
    assertEachFits([item(keys.address(email), 'address', status)]);
    this.addresses.set(email, copy({ ...status, email }));
  }

  // ---- submissions ---------------------------------------------------------------------------

  /** The next version of the obligation, once per slot: 1, 2, 3 … without gaps. */
  async appendSubmission(submission: Omit<Submission, 'version'>): Promise<Submission> {
    const recorded = await this.submissionsOfObligation(
      submission.pairingId,
      submission.kind,
      submission.year,
    );
    const mine = recorded.find((s) => s.id === submission.id);
    if (mine) return mine;
    const version = recorded.reduce((highest, s) => Math.max(highest, s.version), 0) + 1;
    const record: Submission = { ...submission, version };
    const key = `${record.pairingId}#${record.kind}#${record.year}#${record.version}`;
    // The await above lets a concurrent append in: the version is taken only if it is still free.
    if (this.submissions.has(key)) return this.appendSubmission(submission);
    assertEachFits([item(keys.submission(record), 'submission', record)]);
    this.submissions.set(key, copy(record));
    return copy(record);
  }

  /** Oldest first. */
  async submissionsOfObligation(pairingId: string, kind: string, year: number): Promise<Submission[]> {
    const of = [...this.submissions.values()].filter(
      (s) => s.pairingId === pairingId && s.kind === kind && s.year === year,
    );
    return sorted(of, (s) => versionKey(s.version));
  }

  async submissionsOfPairing(pairingId: string): Promise<Submission[]> {
    const of = [...this.submissions.values()].filter((s) => s.pairingId === pairingId);
    return sorted(of, (s) => `${s.kind}#${s.year}#${versionKey(s.version)}`);
  }

  /** All of a programme, or of one kind (and year): the year narrows only with a kind, as the index prefix does. */
  async submissionsOfProgramme(programmeId: string, kind?: string, year?: number): Promise<Submission[]> {
    const of = [...this.submissions.values()].filter(
      (s) =>
        s.programmeId === programmeId &&
        (kind === undefined || (s.kind === kind && (year === undefined || s.year === year))),
    );
    return sorted(of, (s) => `${s.kind}#${s.year}#${s.pairingId}#${versionKey(s.version)}`);
  }

  // ---- upload links and slots ----------------------------------------------------------------

  async getUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
  ): Promise<UploadLinkRecord | undefined> {
    return copyOf(this.links.get(`${pairingId}#${kind}#${year}#${institutionId}`));
  }

  async ensureUploadLinks(records: readonly UploadLinkRecord[]): Promise<UploadLinkRecord[]> {
    return records.map((record) => {
      const key = `${record.pairingId}#${record.kind}#${record.year}#${record.institutionId}`;
      const existing = this.links.get(key);
      if (existing) return copy(existing);
      const itemKeys = keys.uploadLink(record.pairingId, record.kind, record.year, record.institutionId);
      assertEachFits([item(itemKeys, 'upload-link', record)]);
      this.links.set(key, copy(record));
      return copy(record);
    });
  }

  async uploadLinksOfPairing(pairingId: string): Promise<UploadLinkRecord[]> {
    const of = [...this.links.values()].filter((l) => l.pairingId === pairingId);
    return sorted(of, (l) => `${l.kind}#${l.year}#${l.institutionId}`);
  }

  async revokeUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
    at: string,
  ): Promise<UploadLinkRecord> {
    const existing = this.links.get(`${pairingId}#${kind}#${year}#${institutionId}`);
    if (!existing)
      throw new RangeError(`no upload link of ${institutionId} for ${pairingId}#${kind}#${year}`);
    existing.generation += 1;
    existing.revokedAt = at;
    return copy(existing);
  }

  async putUploadSlot(slot: UploadSlot): Promise<void> {
    const key = `${slot.pairingId}#${slot.slotId}`;
    if (this.slots.has(key)) throw new Error(`upload slot ${slot.slotId} exists already`);
    assertEachFits([item(keys.uploadSlot(slot.pairingId, slot.slotId), 'upload-slot', slot)]);
    this.slots.set(key, copy(slot));
  }

  async getUploadSlot(pairingId: string, slotId: string): Promise<UploadSlot | undefined> {
    return copyOf(this.slots.get(`${pairingId}#${slotId}`));
  }

  /** Granted while the slot is issued and unclaimed or claimed by the same object; the first claim fixes `receivedAt`. */
  async claimUploadSlot(
    pairingId: string,
    slotId: string,
    claim: { objectETag: string; receivedAt: string },
  ): Promise<UploadSlot | undefined> {
    const slot = this.slots.get(`${pairingId}#${slotId}`);
    if (slot?.state !== 'issued') return undefined;
    if (slot.objectETag !== undefined && slot.objectETag !== claim.objectETag) return undefined;
    slot.objectETag = claim.objectETag;
    slot.receivedAt ??= claim.receivedAt;
    return copy(slot);
  }

  /** Records the slot's outcome once: false if it was already finished. */
  async finishUploadSlot(
    pairingId: string,
    slotId: string,
    outcome: Pick<UploadSlot, 'state' | 'reason' | 'problemCode' | 'submissionVersion' | 'finishedAt'>,
  ): Promise<boolean> {
    const slot = this.slots.get(`${pairingId}#${slotId}`);
    if (slot?.state !== 'issued') return false;
    Object.assign(slot, defined(outcome));
    return true;
  }

  // ---- reminder log --------------------------------------------------------------------------

  async remindersOfStage(
    pairingId: string,
    kind: string,
    year: number,
    stage: string,
  ): Promise<ReminderRecord[]> {
    const of = [...this.reminders.values()].filter(
      (r) => r.pairingId === pairingId && r.kind === kind && r.year === year && r.stage === stage,
    );
    return withRecipients(sorted(of, (r) => r.email.toLowerCase()));
  }

  async remindersOfPairing(pairingId: string): Promise<ReminderRecord[]> {
    const of = [...this.reminders.values()].filter((r) => r.pairingId === pairingId);
    return withRecipients(sorted(of, (r) => `${r.kind}#${r.year}#${r.stage}#${r.email.toLowerCase()}`));
  }

  async remindersOfProgramme(programmeId: string): Promise<ReminderRecord[]> {
    const of = [...this.reminders.values()].filter((r) => r.programmeId === programmeId);
    return withRecipients(
      sorted(of, (r) => `${r.day}#${r.obligationId}#${r.stage}#${r.email.toLowerCase()}`),
    );
  }

  async remindersOfStages(stages: readonly ReminderStageRef[]): Promise<ReminderRecord[]> {
    const wanted = new Set(stages.map((s) => `${s.pairingId}#${s.kind}#${s.year}#${s.stage}`));
    const of = [...this.reminders.values()].filter((r) =>
      wanted.has(`${r.pairingId}#${r.kind}#${r.year}#${r.stage}`),
    );
    return withRecipients(sorted(of, (r) => r.email.toLowerCase()));
  }

  /** All or none: each address absent, or a `sending` claim older than `staleBefore`. */
  async claimReminders(records: readonly ReminderRecord[], staleBefore: string): Promise<boolean> {
    const free = records.every((record) => {
      const held = this.reminders.get(reminderKey(record));
      return !held || (held.status === 'sending' && held.claimedAt < staleBefore);
    });
    if (!free) return false;
    const [first] = records;
    if (first) assertEachFits([item(keys.reminderStage(first), 'reminder-stage', { records })]);
    for (const record of records) this.reminders.set(reminderKey(record), copy(record));
    return true;
  }

  /** Records the outcome on the addresses this run holds. */
  async completeReminders(records: readonly ReminderRecord[], outcome: ReminderOutcome): Promise<void> {
    for (const record of records) {
      const held = this.reminders.get(reminderKey(record));
      if (held?.runId === record.runId) Object.assign(held, copy(defined(outcome)));
    }
  }

  /** Frees this run's `sending` or `dispatched` claims. */
  async releaseReminders(records: readonly ReminderRecord[]): Promise<void> {
    for (const record of records) {
      const key = reminderKey(record);
      const held = this.reminders.get(key);
      if (held?.runId === record.runId && (held.status === 'sending' || held.status === 'dispatched'))
        this.reminders.delete(key);
    }
  }

  // ---- generated documents -------------------------------------------------------------------

  async putDocument(record: DocumentRecord): Promise<boolean> {
    if (this.documents.has(record.id)) return false;
    assertEachFits([item(keys.document(record), 'document', record)]);
    this.documents.set(record.id, copy(record));
    return true;
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    return copyOf(this.documents.get(id));
  }

  /** Newest first. */
  async listDocuments(): Promise<DocumentRecord[]> {
    return sorted([...this.documents.values()], (d) => `${d.generatedAt}#${d.id}`).reverse();
  }

  // ---- bounce and complaint notices held over a non-working day -------------------------------

  async holdDeliveryNotice(notice: PendingDeliveryNotice): Promise<boolean> {
    const itemKeys = keys.pendingDeliveryNotice(notice);
    if (this.pendingNotices.has(itemKeys.SK)) return false;
    assertEachFits([item(itemKeys, 'pending-notice', notice)]);
    this.pendingNotices.set(itemKeys.SK, copy(notice));
    return true;
  }

  async pendingDeliveryNotices(): Promise<PendingDeliveryNotice[]> {
    return sorted([...this.pendingNotices.entries()], ([sk]) => sk).map(([, notice]) => notice);
  }

  async removePendingDeliveryNotice(
    notice: Pick<PendingDeliveryNotice, 'at' | 'messageId' | 'email'>,
  ): Promise<boolean> {
    return this.pendingNotices.delete(keys.pendingDeliveryNotice(notice).SK);
  }

  // ---- audit log beyond obligations ----------------------------------------------------------

  async appendAudit(entry: AuditEntry): Promise<boolean> {
    const { programmeId } = entry;
    if (!programmeId) throw new RangeError(`audit entry ${entry.id} names no programme`);
    const itemKeys = keys.auditEntry({ ...entry, programmeId });
    const key = `${itemKeys.PK}#${itemKeys.SK}`;
    if (this.audit.has(key)) return false;
    assertEachFits([item(itemKeys, 'audit', entry)]);
    this.audit.set(key, copy(entry));
    return true;
  }

  async auditEntries(scope: AuditScope): Promise<AuditEntry[]> {
    if (!scope.pairingId && !scope.programmeId)
      throw new RangeError('an audit query names a pairing or a programme: the log is never scanned');
    const since = scope.since ?? '';
    const of = [...this.audit.values()].filter(
      (e) =>
        e.at >= since &&
        (scope.pairingId ? e.pairingId === scope.pairingId : true) &&
        (scope.programmeId ? e.programmeId === scope.programmeId : true),
    );
    return byTime(of).map(copy);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** Seed and roster writes: only what differs; every item measured before any is stored. */
  /** The DynamoDB store keeps an institution's contacts in one item: each one `changed` touches must fit. */
  private assertRostersFit(changed: readonly Contact[]): void {
    const after = new Map(this.contacts);
    for (const c of changed) after.set(contactId(c), c);
    const institutionIds = new Set(changed.map((c) => c.institutionId));
    assertEachFits(
      [...institutionIds].map((id) =>
        item(keys.contactsOf(id), 'contacts', {
          institutionId: id,
          contacts: [...after.values()].filter((c) => c.institutionId === id),
          itemVersion: 1,
        }),
      ),
    );
  }

  private syncEntities<T>(
    into: Map<string, T>,
    desired: readonly T[],
    idOf: (t: T) => string,
    itemOf: (t: T) => ItemKeys & Record<string, unknown>,
  ): Promise<SyncCounts> {
    const existing = desired.flatMap((d) => {
      const stored = into.get(idOf(d));
      return stored ? [stored] : [];
    });
    return writeChanges(existing, desired, idOf, async (changed) => {
      assertEachFits(changed.map(itemOf));
      for (const entity of changed) into.set(idOf(entity), copy(entity));
    });
  }
}

const contactId = (c: Contact) => `${c.institutionId}#${c.email.toLowerCase()}`;

const reminderKey = (r: ReminderRecord) =>
  `${r.pairingId}#${r.kind}#${r.year}#${r.stage}#${r.email.toLowerCase()}`;

const versionKey = (version: number) => String(version).padStart(6, '0');

/** The item the DynamoDB store would write for an entity: what DynamoDB's size limit applies to. */
function item(itemKeys: ItemKeys, itemType: string, entity: object): ItemKeys & Record<string, unknown> {
  return { ...itemKeys, itemType, ...entity };
}

/** Copies of `values` in the order of `sortKey`, compared as DynamoDB compares string keys. */
function sorted<T>(values: readonly T[], sortKey: (t: T) => string): T[] {
  return values
    .map((v) => [Buffer.from(sortKey(v), 'utf8'), v] as const)
    .sort(([a], [b]) => Buffer.compare(a, b))
    .map(([, v]) => copy(v));
}

/** The fields that have a value: DynamoDB stores no attribute for an undefined one. */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A copy as the table would give it back: plain data, undefined attributes gone. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function copyOf<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : copy(value);
}
