/**
 * Personal upload links (their generation, bumped to revoke) and upload slots (what the server allowed
 * through a presigned POST, the object ingest took for it, and what became of it).
 */
import type { UploadLinkRecord, UploadSlot } from '../../domain/records.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { entity, setFields, type Table } from './table.ts';

/**
 * An upload slot no file arrived for expires this long after its presigned POST did: longer than an
 * S3 event can take to reach ingest (retries up to 6 hours), so ingest never misses a slot it needs.
 */
export const UNUSED_SLOT_RETENTION_DAYS = 7;

/** Links issued at once by one page of reminders. */
const ISSUE_CONCURRENCY = 8;

export class DynamoUploads {
  constructor(private readonly table: Table) {}

  async getUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
  ): Promise<UploadLinkRecord | undefined> {
    const item = await this.table.get(keys.uploadLink(pairingId, kind, year, institutionId));
    return item ? entity<UploadLinkRecord>(item) : undefined;
  }

  /** Every link issued for the pairing's obligations, read consistently (a revocation reads then writes). */
  async uploadLinksOfPairing(pairingId: string): Promise<UploadLinkRecord[]> {
    const k = keys.uploadLinksOfPairing(pairingId);
    const items = await this.table.partition(k.PK, k.SKPrefix, { consistent: true });
    return items.map((item) => entity<UploadLinkRecord>(item));
  }

  /**
   * The link records in the order given: those stored read with one consistent BatchGet per hundred,
   * the others created at generation 1 only if still absent (a concurrent caller's wins and is read).
   */
  async ensureUploadLinks(records: readonly UploadLinkRecord[]): Promise<UploadLinkRecord[]> {
    const keyOf = (r: UploadLinkRecord) => keys.uploadLink(r.pairingId, r.kind, r.year, r.institutionId);
    const id = (k: { PK: string; SK: string }) => `${k.PK}|${k.SK}`;
    const unique = [...new Map(records.map((r) => [id(keyOf(r)), keyOf(r)])).values()];
    const stored = new Map(
      (await this.table.batchGet(unique, { consistent: true })).map((item) => [
        id(item),
        entity<UploadLinkRecord>(item),
      ]),
    );
    const missing = [
      ...new Map(records.filter((r) => !stored.has(id(keyOf(r)))).map((r) => [id(keyOf(r)), r])).values(),
    ];
    // A page's first reminders issue many links at once: eight conditional puts at a time, not one.
    const issue = async () => {
      for (let record = missing.pop(); record !== undefined; record = missing.pop()) {
        const key = keyOf(record);
        if (await this.table.putIfAbsent({ ...key, itemType: 'upload-link', ...record })) {
          stored.set(id(key), record);
          continue;
        }
        const existing = await this.table.get(key);
        if (!existing) throw new Error(`upload link ${key.SK} of ${key.PK} is neither new nor stored`);
        stored.set(id(key), entity<UploadLinkRecord>(existing));
      }
    };
    await Promise.all(Array.from({ length: Math.min(ISSUE_CONCURRENCY, missing.length) }, issue));
    return records.map((r) => stored.get(id(keyOf(r))) as UploadLinkRecord);
  }

  /** Bumps the generation: every link issued so far stops working; the next reminder carries a new one. */
  async revokeUploadLink(
    pairingId: string,
    kind: string,
    year: number,
    institutionId: string,
    at: string,
  ): Promise<UploadLinkRecord> {
    const revoked = await this.table.updateIf(
      keys.uploadLink(pairingId, kind, year, institutionId),
      { expression: 'ADD generation :one SET revokedAt = :at', values: { ':one': 1, ':at': at } },
      { expression: 'attribute_exists(PK)' },
    );
    if (!revoked) throw new RangeError(`no upload link of ${institutionId} for ${pairingId}#${kind}#${year}`);
    return entity<UploadLinkRecord>(revoked);
  }

  /** Records an issued slot; its key is new (a slot id is never reused). */
  async putUploadSlot(slot: UploadSlot): Promise<void> {
    const item = {
      ...keys.uploadSlot(slot.pairingId, slot.slotId),
      itemType: 'upload-slot',
      ...slot,
      [TABLE_KEYS.timeToLive]:
        Math.floor(Date.parse(slot.postExpiresAt) / 1000) + UNUSED_SLOT_RETENTION_DAYS * 86_400,
    };
    if (!(await this.table.putIfAbsent(item))) throw new Error(`upload slot ${slot.slotId} exists already`);
  }

  async getUploadSlot(pairingId: string, slotId: string): Promise<UploadSlot | undefined> {
    const item = await this.table.get(keys.uploadSlot(pairingId, slotId));
    return item ? entity<UploadSlot>(item) : undefined;
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
    const names = { '#object': 'objectETag', '#received': 'receivedAt', '#state': 'state' };
    const claimed = await this.table.updateIf(
      keys.uploadSlot(pairingId, slotId),
      {
        expression: 'SET #object = :object, #received = if_not_exists(#received, :received)',
        names,
        values: { ':object': claim.objectETag, ':received': claim.receivedAt },
      },
      {
        expression: '#state = :issued AND (attribute_not_exists(#object) OR #object = :object)',
        names,
        values: { ':issued': 'issued', ':object': claim.objectETag },
      },
    );
    return claimed ? entity<UploadSlot>(claimed) : undefined;
  }

  /** Records the slot's outcome once: false if it was already finished (a duplicate event). */
  async finishUploadSlot(
    pairingId: string,
    slotId: string,
    outcome: Pick<UploadSlot, 'state' | 'reason' | 'problemCode' | 'submissionVersion' | 'finishedAt'>,
  ): Promise<boolean> {
    const set = setFields(outcome);
    const finished = await this.table.updateIf(
      keys.uploadSlot(pairingId, slotId),
      // A finished slot is kept, no longer expiring: it is the record of what became of that upload.
      {
        ...set,
        expression: `${set.expression} REMOVE #expiry`,
        names: { ...set.names, '#expiry': TABLE_KEYS.timeToLive },
      },
      { expression: '#current = :issued', names: { '#current': 'state' }, values: { ':issued': 'issued' } },
    );
    return finished !== undefined;
  }
}
