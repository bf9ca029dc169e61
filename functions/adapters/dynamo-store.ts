/**
 * The DynamoDB store: every read and write of the table, through the document client. Keys come from
 * dynamo-keys.ts; entities are stored as top-level attributes next to their keys and an `itemType`.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { userFacingError } from '../domain/errors.ts';
import type {
  Contact,
  Institution,
  Obligation,
  ObligationRecord,
  Pairing,
  Programme,
} from '../domain/model.ts';
import type {
  AddressStatus,
  DocumentRecord,
  ReminderRecord,
  StoredObligation,
  UploadLinkRecord,
  UploadSlot,
} from '../domain/records.ts';
import type { Submission } from '../domain/submission.ts';
import { awaitsSubmission, effectiveDueDate, recordFacts } from '../domain/timeline.ts';
import type { ReminderStore, SyncCounts } from '../use-cases/ports.ts';
import { itemSizeInBytes, MAX_ITEM_BYTES } from './dynamo-item-size.ts';
import { type ItemKeys, keys, TABLE_KEYS } from './dynamo-keys.ts';

type Item = Record<string, unknown> & ItemKeys;

/** Attributes of the item, not of the entity (`itemType` labels items; entities may have a `type`). */
const KEY_ATTRIBUTES = new Set([
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'itemType',
  'itemVersion',
  TABLE_KEYS.timeToLive,
]);

/**
 * An upload slot no file arrived for expires this long after its presigned POST did: longer than an
 * S3 event can take to reach ingest (retries up to 6 hours), so ingest never misses a slot it needs.
 */
export const UNUSED_SLOT_RETENTION_DAYS = 7;
const RECORD_FIELDS = ['submittedAt', 'review', 'extendedTo', 'exemptedAt'] as const;

export class ConcurrentChangeError extends userFacingError('concurrent-change') {
  override readonly name = 'ConcurrentChangeError';
}

/** An item DynamoDB would refuse for its size, found before any item of the same write was sent. */
export class ItemTooLargeError extends userFacingError('item-too-large') {
  override readonly name = 'ItemTooLargeError';
  constructor(
    readonly itemKeys: { PK: string; SK: string },
    readonly bytes: number,
    itemsInWrite: number,
  ) {
    super(
      `item ${itemKeys.PK} / ${itemKeys.SK} is ${bytes} bytes, over DynamoDB's limit of ${MAX_ITEM_BYTES} ` +
        `bytes (400 KB); none of the ${itemsInWrite} item(s) of this write were sent`,
    );
  }
}

export class DynamoStore implements ReminderStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---- reads -------------------------------------------------------------------------------

  async listInstitutions(): Promise<Institution[]> {
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, keys.allInstitutions().GSI1PK);
    return items.map((item) => entity<Institution>(item));
  }

  async listProgrammes(): Promise<Programme[]> {
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, keys.allProgrammes().GSI1PK);
    return items.map((item) => entity<Programme>(item));
  }

  async getProgramme(id: string): Promise<Programme | undefined> {
    return (await this.listProgrammes()).find((p) => p.id === id);
  }

  async listPairings(programmeId: string): Promise<Pairing[]> {
    const k = keys.pairingsOfProgramme(programmeId);
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map((item) => entity<Pairing>(item));
  }

  async listObligations(programmeId: string): Promise<StoredObligation[]> {
    const k = keys.obligationsOfProgramme(programmeId);
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map(storedObligation);
  }

  /** Obligations still awaiting submission whose due date lies in [from, to]: index queries, no Scan. */
  async openObligationsDueBetween(
    programmeId: string,
    from: string,
    to: string,
  ): Promise<StoredObligation[]> {
    const index = TABLE_KEYS.openByDueDate;
    const results: StoredObligation[] = [];
    for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
      const items = await this.query({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: {
          ':pk': keys.openObligationsDue(programmeId, year).GSI2PK,
          ':from': from,
          // '~' sorts after '#', so every `${date}#${id}` of the last day is included.
          ':to': `${to}~`,
        },
      });
      results.push(...items.map(storedObligation));
    }
    return results;
  }

  async listContacts(): Promise<Contact[]> {
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, keys.allContacts().GSI1PK);
    return items.map((item) => entity<Contact>(item));
  }

  async getObligation(pairingId: string, kind: string, year: number): Promise<StoredObligation | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: `PAIR#${pairingId}`, SK: `OBL#${kind}#${year}` },
        // The due-date index is eventually consistent; a submission recorded a moment ago must count.
        ConsistentRead: true,
      }),
    );
    return Item ? storedObligation(Item as Item) : undefined;
  }

  async getPairings(ids: readonly string[]): Promise<Pairing[]> {
    const items = await this.batchGet([...new Set(ids)].map((id) => ({ PK: `PAIR#${id}`, SK: 'META' })));
    return items.map((item) => entity<Pairing>(item));
  }

  async contactsOf(institutionId: string): Promise<Contact[]> {
    const items = await this.query({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `INST#${institutionId}`, ':prefix': 'CONTACT#' },
    });
    return items.map((item) => entity<Contact>(item));
  }

  // ---- submissions -----------------------------------------------------------------------------

  /**
   * Records the submission of one upload slot once, as the next version of its obligation: 1, 2, 3 …
   * unique and without gaps, however often or concurrently the same slot is delivered. Each version is
   * its own item written only if absent, so two uploads racing for a number cannot both take it: the
   * loser reads again and takes the next one, and a repeat of a slot already recorded finds its record.
   */
  async appendSubmission(submission: Omit<Submission, 'version'>): Promise<Submission> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const recorded = await this.submissionsOfObligation(
        submission.pairingId,
        submission.kind,
        submission.year,
      );
      const mine = recorded.find((s) => s.id === submission.id);
      if (mine) return mine;
      const version = recorded.reduce((highest, s) => Math.max(highest, s.version), 0) + 1;
      const record: Submission = { ...submission, version };
      if (await this.putIfAbsent({ ...keys.submission(record), itemType: 'submission', ...record }))
        return record;
    }
    throw new ConcurrentChangeError(`submissions of ${submission.obligationId} kept changing; run again`);
  }

  /** Every version submitted for one obligation (consistent: a version taken a moment ago counts). */
  async submissionsOfObligation(pairingId: string, kind: string, year: number): Promise<Submission[]> {
    const k = keys.submissionsOfObligation(pairingId, kind, year);
    const items = await this.query({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': k.PK, ':prefix': k.SKPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => entity<Submission>(item));
  }

  async submissionsOfPairing(pairingId: string): Promise<Submission[]> {
    const k = keys.submissionsOfPairing(pairingId);
    const items = await this.query({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': k.PK, ':prefix': k.SKPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => entity<Submission>(item));
  }

  async submissionsOfProgramme(programmeId: string, kind?: string, year?: number): Promise<Submission[]> {
    const k = keys.submissionsOfProgramme(programmeId, kind, year);
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map((item) => entity<Submission>(item));
  }

  // ---- generated documents ----------------------------------------------------------------------

  async putDocument(record: DocumentRecord): Promise<boolean> {
    return this.putIfAbsent({ ...keys.document(record), itemType: 'document', ...record });
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: `DOC#${id}`, SK: 'META' },
        ConsistentRead: true,
      }),
    );
    return Item ? entity<DocumentRecord>(Item as Item) : undefined;
  }

  /** Newest first. */
  async listDocuments(): Promise<DocumentRecord[]> {
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, keys.allDocuments().GSI1PK);
    return items.map((item) => entity<DocumentRecord>(item)).reverse();
  }

  // ---- upload links and slots -------------------------------------------------------------------

  async getUploadLink(pairingId: string, kind: string, year: number, institutionId: string) {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.uploadLink(pairingId, kind, year, institutionId),
        ConsistentRead: true,
      }),
    );
    return Item ? entity<UploadLinkRecord>(Item as Item) : undefined;
  }

  /** The link record, created at generation 1 if there is none yet (concurrent callers agree). */
  async ensureUploadLink(record: UploadLinkRecord): Promise<UploadLinkRecord> {
    try {
      await this.put({
        Item: {
          ...keys.uploadLink(record.pairingId, record.kind, record.year, record.institutionId),
          itemType: 'upload-link',
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      });
      return record;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const existing = await this.getUploadLink(
        record.pairingId,
        record.kind,
        record.year,
        record.institutionId,
      );
      if (!existing) throw error;
      return existing;
    }
  }

  /** Bumps the generation: every link issued so far stops working; the next reminder carries a new one. */
  async revokeUploadLink(pairingId: string, kind: string, year: number, institutionId: string, at: string) {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.uploadLink(pairingId, kind, year, institutionId),
        UpdateExpression: 'ADD generation :one SET revokedAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1, ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return entity<UploadLinkRecord>(Attributes as Item);
  }

  async putUploadSlot(slot: UploadSlot): Promise<void> {
    await this.put({
      Item: {
        ...keys.uploadSlot(slot.pairingId, slot.slotId),
        itemType: 'upload-slot',
        ...slot,
        [TABLE_KEYS.timeToLive]:
          Math.floor(Date.parse(slot.postExpiresAt) / 1000) + UNUSED_SLOT_RETENTION_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  }

  async getUploadSlot(pairingId: string, slotId: string): Promise<UploadSlot | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.uploadSlot(pairingId, slotId),
        ConsistentRead: true,
      }),
    );
    return Item ? entity<UploadSlot>(Item as Item) : undefined;
  }

  /**
   * Takes an issued slot for one object (by its ETag) before ingest checks it. Granted while the slot
   * is unclaimed or already claimed by the same object (a redelivery); the first claim fixes
   * `receivedAt`. Undefined when the slot is finished or another object holds it.
   */
  async claimUploadSlot(
    pairingId: string,
    slotId: string,
    claim: { objectETag: string; receivedAt: string },
  ): Promise<UploadSlot | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.uploadSlot(pairingId, slotId),
          UpdateExpression: 'SET #object = :object, #received = if_not_exists(#received, :received)',
          ConditionExpression: '#state = :issued AND (attribute_not_exists(#object) OR #object = :object)',
          ExpressionAttributeNames: { '#object': 'objectETag', '#received': 'receivedAt', '#state': 'state' },
          ExpressionAttributeValues: {
            ':object': claim.objectETag,
            ':received': claim.receivedAt,
            ':issued': 'issued',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return entity<UploadSlot>(Attributes as Item);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  /** Records the slot's outcome once: false if it was already finished (a duplicate event). */
  async finishUploadSlot(
    pairingId: string,
    slotId: string,
    outcome: Pick<UploadSlot, 'state' | 'reason' | 'problemCode' | 'submissionVersion' | 'finishedAt'>,
  ): Promise<boolean> {
    const fields = Object.entries(outcome).filter(([, v]) => v !== undefined);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.uploadSlot(pairingId, slotId),
          // A finished slot is kept: it is the record of what became of that upload.
          UpdateExpression: `SET ${fields.map(([k]) => `#${k} = :${k}`).join(', ')} REMOVE #expiry`,
          ConditionExpression: '#current = :issued',
          ExpressionAttributeNames: {
            ...Object.fromEntries(fields.map(([k]) => [`#${k}`, k])),
            '#current': 'state',
            '#expiry': TABLE_KEYS.timeToLive,
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(fields.map(([k, v]) => [`:${k}`, v])),
            ':issued': 'issued',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  // ---- reminder log: one conditional item per (obligation, stage, address) --------------------

  async remindersOfStage(
    pairingId: string,
    kind: string,
    year: number,
    stage: string,
  ): Promise<ReminderRecord[]> {
    const k = keys.remindersOfStage(pairingId, kind, year, stage);
    const items = await this.query({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': k.PK, ':prefix': k.SKPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => entity<ReminderRecord>(item));
  }

  async remindersOfProgramme(programmeId: string): Promise<ReminderRecord[]> {
    const k = keys.remindersOfProgramme(programmeId);
    const items = await this.queryIndex(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map((item) => entity<ReminderRecord>(item));
  }

  async claimReminder(record: ReminderRecord, staleBefore: string): Promise<boolean> {
    try {
      await this.put({
        Item: { ...keys.reminder(record), itemType: 'reminder', ...record, status: 'sending' },
        ConditionExpression: 'attribute_not_exists(PK) OR (#status = :sending AND claimedAt < :staleBefore)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':staleBefore': staleBefore },
      });
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async completeReminder(
    record: ReminderRecord,
    outcome: Pick<ReminderRecord, 'status' | 'sentAt' | 'messageId' | 'recipients' | 'reason'>,
  ): Promise<void> {
    const fields = Object.entries(outcome).filter(([, v]) => v !== undefined);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.reminder(record).PK, SK: keys.reminder(record).SK },
          UpdateExpression: `SET ${fields.map(([k]) => `#${k} = :${k}`).join(', ')}`,
          // Only the run holding the claim records its outcome.
          ConditionExpression: 'runId = :runId',
          ExpressionAttributeNames: Object.fromEntries(fields.map(([k]) => [`#${k}`, k])),
          ExpressionAttributeValues: {
            ...Object.fromEntries(fields.map(([k, v]) => [`:${k}`, v])),
            ':runId': record.runId,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  async releaseReminder(record: ReminderRecord): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: keys.reminder(record).PK, SK: keys.reminder(record).SK },
          // A failed SES call is known not to have sent: the claim is freed whether or not dispatched.
          ConditionExpression: 'runId = :runId AND #status IN (:sending, :dispatched)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':runId': record.runId,
            ':sending': 'sending',
            ':dispatched': 'dispatched',
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  async addressStatuses(emails: readonly string[]): Promise<AddressStatus[]> {
    const unique = [...new Set(emails.map((e) => e.toLowerCase()))];
    const items = await this.batchGet(unique.map((e) => ({ PK: keys.address(e).PK, SK: 'STATUS' })));
    return items.map((item) => entity<AddressStatus>(item));
  }

  async markAddressRejected(status: AddressStatus): Promise<void> {
    await this.put({
      Item: {
        ...keys.address(status.email),
        itemType: 'address',
        ...status,
        email: status.email.toLowerCase(),
      },
    });
  }

  // ---- seed and roster writes: write only what differs, so a second load changes nothing ----

  syncInstitutions(institutions: readonly Institution[]): Promise<SyncCounts> {
    return this.listInstitutions().then((existing) =>
      this.syncEntities(
        'institution',
        existing,
        institutions,
        (i) => i.id,
        (i) => keys.institution(i.id),
      ),
    );
  }

  async syncProgramme(programme: Programme): Promise<SyncCounts> {
    const existing = await this.listProgrammes();
    return this.syncEntities(
      'programme',
      existing.filter((p) => p.id === programme.id),
      [programme],
      (p) => p.id,
      (p) => keys.programme(p.id),
    );
  }

  async syncPairings(programmeId: string, pairings: readonly Pairing[]): Promise<SyncCounts> {
    return this.syncEntities(
      'pairing',
      await this.listPairings(programmeId),
      pairings,
      (p) => p.id,
      (p) => keys.pairing(programmeId, p.id),
    );
  }

  async syncContacts(contacts: readonly Contact[]): Promise<SyncCounts> {
    const id = (c: Contact) => `${c.institutionId}#${c.email.toLowerCase()}`;
    const wanted = new Set(contacts.map(id));
    const existing = (await this.listContacts()).filter((c) => wanted.has(id(c)));
    return this.syncEntities('contact', existing, contacts, id, (c) =>
      keys.contact(c.institutionId, c.email),
    );
  }

  /**
   * Writes obligation definitions (dates) while keeping what was recorded about each (submissions,
   * reviews, extensions). Each write is conditional on the version read, so a submission recorded
   * meanwhile is never overwritten.
   */
  async syncObligations(programmeId: string, obligations: readonly Obligation[]): Promise<SyncCounts> {
    const existing = new Map((await this.listObligations(programmeId)).map((s) => [s.obligation.id, s]));
    const counts: SyncCounts = { created: 0, updated: 0, unchanged: 0 };
    for (const definition of obligations) {
      const current = existing.get(definition.id);
      const record = current?.record ?? {};
      const obligation = { ...definition, effectiveDueDate: effectiveDueDate(definition.dueDate, record) };
      if (current && canonical(current.obligation) === canonical(obligation)) {
        counts.unchanged++;
        continue;
      }
      await this.putObligation(obligation, record, current?.version);
      counts[current ? 'updated' : 'created']++;
    }
    return counts;
  }

  /**
   * Records facts about an obligation (a submission, a review, an extension, an exemption) and
   * re-derives its index keys: one that no longer awaits submission leaves the due-date index, so the
   * tick stops reminding. Conditional on the version read; retried once on a concurrent change.
   */
  async recordObligationFacts(
    pairingId: string,
    kind: string,
    year: number,
    facts: Partial<ObligationRecord>,
  ): Promise<StoredObligation> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.getObligation(pairingId, kind, year);
      if (!current) throw new RangeError(`no obligation ${pairingId}#${kind}#${year}`);
      const { obligation, record } = recordFacts(current, facts);
      try {
        await this.putObligation(obligation, record, current.version);
        return { obligation, record, version: current.version + 1 };
      } catch (error) {
        if (!(error instanceof ConcurrentChangeError) || attempt >= 2) throw error;
      }
    }
  }

  /** Writes one obligation item if its version is still `expectedVersion` (absent: must not exist). */
  async putObligation(
    obligation: Obligation,
    record: ObligationRecord,
    expectedVersion?: number,
  ): Promise<void> {
    const item = {
      ...keys.obligation({ ...obligation, needsAction: awaitsSubmission(record) }),
      itemType: 'obligation',
      ...obligation,
      ...record,
      itemVersion: (expectedVersion ?? 0) + 1,
    };
    try {
      await this.put({
        Item: item,
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: 'itemVersion = :v',
              ExpressionAttributeValues: { ':v': expectedVersion },
            }),
      });
    } catch (error) {
      if (isConditionFailed(error)) {
        throw new ConcurrentChangeError(
          `obligation ${obligation.id} changed while it was being written; run again`,
        );
      }
      throw error;
    }
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** Writes an item unless one with its key exists; false when it did (a repeat, or another writer). */
  private async putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.put({ Item: item, ConditionExpression: 'attribute_not_exists(PK)' });
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  private async syncEntities<T extends object>(
    itemType: string,
    existing: readonly T[],
    desired: readonly T[],
    idOf: (t: T) => string,
    keysOf: (t: T) => ItemKeys,
  ): Promise<SyncCounts> {
    const before = new Map(existing.map((e) => [idOf(e), canonical(e)]));
    const changed = desired.filter((d) => before.get(idOf(d)) !== canonical(d));
    const created = changed.filter((d) => !before.has(idOf(d))).length;
    await this.batchPut(changed.map((d) => ({ ...keysOf(d), itemType, ...d })));
    return { created, updated: changed.length - created, unchanged: desired.length - changed.length };
  }

  private async batchGet(itemKeys: readonly { PK: string; SK: string }[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < itemKeys.length; i += 100) {
      let pending: Record<string, unknown>[] = itemKeys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        if (attempt > 8) throw new Error('DynamoDB kept keys unprocessed; try again');
        const result = await this.documents.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        items.push(...((result.Responses?.[this.tableName] ?? []) as Item[]));
        pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return items;
  }

  /** PutItem of one item, refused before sending if DynamoDB would refuse it for its size. */
  private put(input: Omit<PutCommandInput, 'TableName' | 'Item'> & { Item: Item }) {
    assertEachFits([input.Item]);
    return this.documents.send(new PutCommand({ TableName: this.tableName, ...input }));
  }

  /**
   * Writes items 25 to a request. Every item is measured first: a request DynamoDB refuses would
   * leave the batches before it written, and a stand-in that measures differently might accept it.
   */
  private async batchPut(items: readonly Item[]): Promise<void> {
    assertEachFits(items);
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const result = await this.documents.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (attempt > 8 && requests.length > 0) throw new Error('DynamoDB kept items unprocessed; try again');
      }
    }
  }

  private queryIndex(
    index: { indexName: string; partitionKey: string; sortKey: string },
    partition: string,
    sortPrefix?: string,
  ): Promise<Item[]> {
    return this.query({
      TableName: this.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: sortPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        ...(sortPrefix ? { '#sk': index.sortKey } : {}),
      },
      ExpressionAttributeValues: { ':pk': partition, ...(sortPrefix ? { ':prefix': sortPrefix } : {}) },
    });
  }

  private async query(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...((page.Items ?? []) as Item[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

/** A condition expression did not hold: the write was refused as designed, not failed. */
function isConditionFailed(error: unknown): boolean {
  return (error as Error).name === 'ConditionalCheckFailedException';
}

/** Throws ItemTooLargeError naming the first item over DynamoDB's item limit, as DynamoDB counts it. */
function assertEachFits(items: readonly Item[]): void {
  for (const item of items) {
    const bytes = itemSizeInBytes(item);
    if (bytes > MAX_ITEM_BYTES)
      throw new ItemTooLargeError({ PK: item.PK, SK: item.SK }, bytes, items.length);
  }
}

function entity<T>(item: Item): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as T;
}

function storedObligation(item: Item): StoredObligation {
  const fields = entity<Obligation & ObligationRecord>(item);
  const record: ObligationRecord = {};
  const obligation = { ...fields } as Obligation & Partial<ObligationRecord>;
  for (const field of RECORD_FIELDS) {
    if (fields[field] !== undefined) Object.assign(record, { [field]: fields[field] });
    delete obligation[field];
  }
  return { obligation, record, version: Number(item.itemVersion ?? 0) };
}

/** JSON with sorted keys, so equal entities compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
