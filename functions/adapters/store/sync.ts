/**
 * Seed and roster loads write only what differs from what is stored, so a second load changes nothing
 * and a load cut short is finished by running it again. Shared by every store that syncs entities.
 */
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

/** JSON with sorted keys, so equal entities compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
