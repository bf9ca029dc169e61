/**
 * Seed and roster loads write only what differs from what is stored, so a second load changes nothing
 * and a load cut short is finished by running it again. Shared by every store that syncs entities.
 */
import type { Obligation, ObligationRecord } from '../../domain/model.ts';
import type { StoredObligation } from '../../domain/records.ts';
import type { AuditEntry } from '../../domain/staff-actions.ts';
import { effectiveDueDate } from '../../domain/timeline.ts';
import type { SyncCounts } from '../../use-cases/ports.ts';

/**
 * Hands `write` the desired entities that differ from the stored ones (matched by `idOf`), and counts
 * what that makes of the load: new, changed, unchanged.
 */
export async function writeChanges<T>(
  existing: readonly T[],
  desired: readonly T[],
  idOf: (t: T) => string,
  write: (changed: readonly T[]) => Promise<void>,
): Promise<SyncCounts> {
  const before = new Map(existing.map((e) => [idOf(e), canonical(e)]));
  const changed = desired.filter((d) => before.get(idOf(d)) !== canonical(d));
  await write(changed);
  const created = changed.filter((d) => !before.has(idOf(d))).length;
  return { created, updated: changed.length - created, unchanged: desired.length - changed.length };
}

/** One obligation a plans sync writes, conditional on the version it read (none: the obligation is new). */
export interface ObligationWrite {
  obligation: Obligation;
  record: ObligationRecord;
  expectedVersion?: number;
  /** The audit log the item carries, kept as it is by every write but a staff action's. */
  audit?: AuditEntry[];
}

/**
 * What a plans sync writes of obligations: each definition that differs from the stored obligation,
 * keeping what was recorded about it (an extension still sets the due date in force); and what that
 * makes of the load.
 */
export function obligationChanges(
  stored: readonly StoredObligation[],
  definitions: readonly Obligation[],
): { writes: ObligationWrite[]; counts: SyncCounts } {
  const existing = new Map(stored.map((s) => [s.obligation.id, s]));
  const writes: ObligationWrite[] = [];
  for (const definition of definitions) {
    const current = existing.get(definition.id);
    const record = current?.record ?? {};
    const obligation = { ...definition, effectiveDueDate: effectiveDueDate(definition.dueDate, record) };
    if (current && canonical(current.obligation) === canonical(obligation)) continue;
    writes.push({
      obligation,
      record,
      ...(current ? { expectedVersion: current.version } : {}),
      ...(current?.audit ? { audit: current.audit } : {}),
    });
  }
  const created = writes.filter((w) => w.expectedVersion === undefined).length;
  return {
    writes,
    counts: { created, updated: writes.length - created, unchanged: definitions.length - writes.length },
  };
}

/** JSON with sorted keys, so equal entities compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
