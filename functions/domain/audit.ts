/**
 * The audit entries that are not about one obligation: a staff member signing in, a contact corrected
 * or removed, a pairing's upload links revoked. (A staff action on an obligation is kept on the
 * obligation's own item, staff-actions.ts.) Pure: `at` is a parameter.
 *
 * Each entry's id comes from what happened, so writing it a second time is a repeat, not a second
 * entry: one sign-in per staff member and minute, one change per contact and instant, one revocation
 * per pairing (or obligation) and instant.
 */
import type { Contact } from './model.ts';
import type { UploadLinkRecord } from './records.ts';
import type { StaffIdentity } from './staff.ts';
import { type AuditEntry, auditActor } from './staff-actions.ts';

/** A staff member signed in; recorded in the log of each programme their commission takes part in. */
export function signInEntry(actor: StaffIdentity, programmeId: string, at: Date): AuditEntry {
  return {
    id: `sign-in#${actor.subject}#${at.toISOString().slice(0, 16)}Z`,
    at: at.toISOString(),
    actor: auditActor(actor),
    action: 'sign-in',
    programmeId,
  };
}

/** A contact corrected (`after`) or removed (no `after`), in the log of one programme it serves. */
export function contactEntry(
  actor: StaffIdentity,
  programmeId: string,
  before: Contact,
  after: Contact | undefined,
  at: Date,
  reason?: string,
): AuditEntry {
  return {
    id: `contact#${before.institutionId}#${before.email.toLowerCase()}#${at.toISOString()}`,
    at: at.toISOString(),
    actor: auditActor(actor),
    action: after ? 'contact-change' : 'contact-removed',
    programmeId,
    ...(reason ? { reason } : {}),
    before: { ...before },
    ...(after ? { after: { ...after } } : {}),
  };
}

/** One personal link's generation, as a revocation's audit entry shows it before and after. */
export type LinkGeneration = Pick<UploadLinkRecord, 'obligationId' | 'institutionId' | 'generation'>;

/** A pairing's links revoked (those of one obligation, where given), with their generations. */
export function linksRevokedEntry(
  actor: StaffIdentity,
  scope: { programmeId: string; pairingId: string; obligationId?: string },
  before: readonly LinkGeneration[],
  after: readonly LinkGeneration[],
  at: Date,
  reason?: string,
): AuditEntry {
  const generations = (links: readonly LinkGeneration[]) =>
    links.map(({ obligationId, institutionId, generation }) => ({ obligationId, institutionId, generation }));
  return {
    id: `links-revoked#${scope.obligationId ?? scope.pairingId}#${at.toISOString()}`,
    at: at.toISOString(),
    actor: auditActor(actor),
    action: 'links-revoked',
    programmeId: scope.programmeId,
    pairingId: scope.pairingId,
    ...(scope.obligationId ? { obligationId: scope.obligationId } : {}),
    ...(reason ? { reason } : {}),
    before: { links: generations(before) },
    after: { links: generations(after) },
  };
}

/**
 * One log from its parts (the entries kept on obligations and those of the audit store): each entry
 * once, by id, oldest first (entries of the same instant by id).
 */
export function mergedAuditLog(...parts: readonly (readonly AuditEntry[])[]): AuditEntry[] {
  const byId = new Map<string, AuditEntry>();
  for (const entry of parts.flat()) if (!byId.has(entry.id)) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => compare(a.at, b.at) || compare(a.id, b.id));
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
