/**
 * The audit log beyond obligations (a staff action on an obligation is kept on its item, plans.ts):
 * sign-ins and contact changes under their programme, revoked links under their pairing. Append-only:
 * each entry is put once, only if its id is not taken, and never updated or deleted.
 */
import type { AuditEntry } from '../../domain/staff-actions.ts';
import type { AuditScope } from '../../use-cases/ports.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { entity, type Item, type Table } from './table.ts';

export class DynamoAudit {
  constructor(private readonly table: Table) {}

  async appendAudit(entry: AuditEntry): Promise<boolean> {
    const { programmeId } = entry;
    if (!programmeId) throw new RangeError(`audit entry ${entry.id} names no programme`);
    return this.table.putIfAbsent({
      ...keys.auditEntry({ ...entry, programmeId }),
      itemType: 'audit',
      ...entry,
    });
  }

  async auditEntries(scope: AuditScope): Promise<AuditEntry[]> {
    const since = scope.since ?? '';
    if (scope.pairingId) {
      // The id is the sort key (an entry is written once), so the partition comes back in id order.
      const k = keys.auditOfPairing(scope.pairingId);
      const items = await this.table.partition(k.PK, k.SKPrefix, { consistent: true });
      return byTime(
        items
          .map((item) => entity<AuditEntry>(item))
          .filter((e) => e.at >= since && (!scope.programmeId || e.programmeId === scope.programmeId)),
      );
    }
    if (scope.programmeId) {
      const k = keys.auditOfProgramme(scope.programmeId, scope.since);
      const index = TABLE_KEYS.byProgramme;
      const items: Item[] = await this.table.query({
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': k.GSI1PK, ':from': k.GSI1SKFrom, ':to': k.GSI1SKTo },
      });
      return items.map((item) => entity<AuditEntry>(item));
    }
    throw new RangeError('an audit query names a pairing or a programme: the log is never scanned');
  }
}

/** Oldest first, then by id: the programme index's order (`AUDIT#<at>#<id>`, compared as bytes). */
export function byTime(entries: readonly AuditEntry[]): AuditEntry[] {
  const key = (e: AuditEntry) => Buffer.from(`${e.at}#${e.id}`, 'utf8');
  return [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
}
