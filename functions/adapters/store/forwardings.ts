/**
 * City commissions' deliverables to the province (reporting-chain.ts), stored as obligations are:
 * under their collection's partition (`PAIR#<programme>~<commission>`, which no pairing id can take,
 * since pairing ids have no '~'), with the facts recorded since, a version every write increments and
 * the audit log on the item, and in their own sparse due-date index partition while they await
 * forwarding. Their reminder log sits in the same partition, so the exactly-once sends are the
 * pairings' own.
 */
import type { Forwarding, ForwardingRecord } from '../../domain/model.ts';
import type { StoredForwarding } from '../../domain/records.ts';
import { collectionId } from '../../domain/reporting-chain.ts';
import type { AuditEntry } from '../../domain/staff-actions.ts';
import { awaitsSubmission, effectiveDueDate } from '../../domain/timeline.ts';
import type { SyncCounts } from '../../use-cases/ports.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { canonical } from './sync.ts';
import { ConcurrentChangeError, entity, type Item, type Table } from './table.ts';

const RECORD_FIELDS = ['submittedAt', 'review', 'extendedTo', 'exemptedAt', 'forwarded'] as const;
const AUDIT_ATTRIBUTE = 'auditLog';

export class DynamoForwardings {
  constructor(private readonly table: Table) {}

  async listForwardings(programmeId: string): Promise<StoredForwarding[]> {
    const k = keys.forwardingsOfProgramme(programmeId);
    const items = await this.table.index(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map(storedForwarding);
  }

  async openForwardingsDueBetween(
    programmeId: string,
    from: string,
    to: string,
  ): Promise<StoredForwarding[]> {
    const items = await this.table.dueIndex(
      (year) => keys.openForwardingsDue(programmeId, year).GSI2PK,
      from,
      to,
    );
    return items.map(storedForwarding);
  }

  async getForwarding(
    programmeId: string,
    commissionId: string,
    kind: string,
    year: number,
  ): Promise<StoredForwarding | undefined> {
    const k = keys.forwarding({
      programmeId,
      commissionId,
      kind,
      year,
      id: '',
      effectiveDueDate: '',
      needsAction: false,
    });
    const item = await this.table.get({ PK: k.PK, SK: k.SK });
    return item ? storedForwarding(item) : undefined;
  }

  /** Writes definitions (dates, the pairings collected) that differ, keeping what was recorded. */
  async syncForwardings(programmeId: string, forwardings: readonly Forwarding[]): Promise<SyncCounts> {
    const existing = new Map((await this.listForwardings(programmeId)).map((s) => [s.forwarding.id, s]));
    let created = 0;
    let updated = 0;
    for (const definition of forwardings) {
      const current = existing.get(definition.id);
      const record = current?.record ?? {};
      const forwarding = { ...definition, effectiveDueDate: effectiveDueDate(definition.dueDate, record) };
      if (current && canonical(current.forwarding) === canonical(forwarding)) continue;
      await this.put(forwarding, record, current?.version, current?.audit);
      if (current) updated++;
      else created++;
    }
    return { created, updated, unchanged: forwardings.length - created - updated };
  }

  /** Records facts (forwarded, the province's review): conditional on the version read, retried twice. */
  async recordForwardingFacts(
    forwarding: Pick<Forwarding, 'programmeId' | 'commissionId' | 'kind' | 'year'>,
    facts: Partial<ForwardingRecord>,
  ): Promise<StoredForwarding> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.getForwarding(
        forwarding.programmeId,
        forwarding.commissionId,
        forwarding.kind,
        forwarding.year,
      );
      if (!current)
        throw new RangeError(
          `no forwarding ${forwarding.commissionId} ${forwarding.kind} ${forwarding.year}`,
        );
      const record = { ...current.record, ...facts };
      const next = {
        ...current.forwarding,
        effectiveDueDate: effectiveDueDate(current.forwarding.dueDate, record),
      };
      try {
        await this.put(next, record, current.version, current.audit);
        return {
          forwarding: next,
          record,
          version: current.version + 1,
          ...(current.audit ? { audit: current.audit } : {}),
        };
      } catch (error) {
        if (!(error instanceof ConcurrentChangeError) || attempt >= 2) throw error;
      }
    }
  }

  /** A staff action's change and its audit entry in one conditional write on the version read. */
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
    await this.put(forwarding, record, current.version, log);
    return { forwarding, record, version: current.version + 1, audit: log };
  }

  private async put(
    forwarding: Forwarding,
    record: ForwardingRecord,
    expectedVersion?: number,
    audit?: readonly AuditEntry[],
  ): Promise<void> {
    const item = {
      ...keys.forwarding({ ...forwarding, needsAction: awaitsSubmission(record) }),
      itemType: 'forwarding',
      ...forwarding,
      ...record,
      ...(audit && audit.length > 0 ? { [AUDIT_ATTRIBUTE]: audit } : {}),
      itemVersion: (expectedVersion ?? 0) + 1,
    };
    const written =
      expectedVersion === undefined
        ? await this.table.putIfAbsent(item)
        : await this.table.putIf(item, { expression: 'itemVersion = :v', values: { ':v': expectedVersion } });
    if (!written) {
      throw new ConcurrentChangeError(
        `forwarding ${forwarding.id} changed while it was being written; run again`,
      );
    }
  }
}

export function storedForwarding(item: Item): StoredForwarding {
  const { [AUDIT_ATTRIBUTE]: audit, ...fields } = entity<
    Forwarding & ForwardingRecord & { auditLog?: AuditEntry[] }
  >(item);
  const record: ForwardingRecord = {};
  const forwarding = { ...fields } as Forwarding & Partial<ForwardingRecord>;
  for (const field of RECORD_FIELDS) {
    if (fields[field] !== undefined) Object.assign(record, { [field]: fields[field] });
    delete forwarding[field];
  }
  return { forwarding, record, version: Number(item.itemVersion ?? 0), ...(audit ? { audit } : {}) };
}

export { collectionId };
