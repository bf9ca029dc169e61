/**
 * The whole audit log of a pairing or a programme, oldest first: what staff did to each obligation
 * (kept on the obligation's item, written with the change), what the city commissions and the
 * province did to the forwardings (kept on the forwarding's item likewise: Fujian §三(一)-(二)),
 * merged with the audit store's entries (sign-ins, contact changes, revoked links). `bangfu audit`
 * prints it; the dossier shows a pairing's.
 *
 * 1. Find the programmes the scope covers: the pairing's, the one named, or every programme.
 * 2. Read each programme's obligations (their entries), its forwardings (their entries, in a
 *    programme's log only: a forwarding is a commission's, not one pairing's) and the store's entries
 *    of the pairing or programme, from `since` on.
 * 3. Merge them: each entry once, oldest first.
 */
import { mergedAuditLog } from '../domain/audit.ts';
import type { AuditEntry } from '../domain/staff-actions.ts';
import type { AuditLogStore, AuditScope } from './ports.ts';

export async function auditLog(store: AuditLogStore, scope: AuditScope = {}): Promise<AuditEntry[]> {
  const { pairingId, since } = scope;
  const programmeIds = pairingId
    ? (await store.getPairings([pairingId])).map((p) => p.programmeId)
    : (await store.listProgrammes()).map((p) => p.id);
  const covered = programmeIds.filter((id) => !scope.programmeId || id === scope.programmeId);
  const parts = await Promise.all(
    covered.map(async (programmeId) => {
      const [obligations, forwardings, entries] = await Promise.all([
        store.listObligations(programmeId),
        pairingId ? [] : store.listForwardings(programmeId),
        store.auditEntries({ programmeId, ...(pairingId ? { pairingId } : {}), ...(since ? { since } : {}) }),
      ]);
      const onObligations = obligations
        .filter((o) => !pairingId || o.obligation.pairingId === pairingId)
        .flatMap((o) => o.audit ?? []);
      const onForwardings = forwardings.flatMap((f) => f.audit ?? []);
      return [...onObligations, ...onForwardings, ...entries];
    }),
  );
  return mergedAuditLog(...parts).filter((e) => !since || e.at >= since);
}
