/**
 * An admin revokes a pairing's personal upload links (of all its obligations, or of one): every link
 * sent so far stops working, and the next reminder or notice carries a new one (uploadLinkFor issues
 * it at the bumped generation). For a coordinator who left with links in their mailbox, or a link
 * forwarded where it should not be. The console and `bangfu links revoke` call this one function.
 *
 * 1. Load the pairing and its programme; an obligation named must be one of the pairing's.
 * 2. The actor must oversee the pairing and be an admin (`manage-links`): StaffForbiddenError otherwise.
 * 3. Bump the generation of every link issued for those obligations, whoever holds it.
 * 4. One audit entry in the pairing's log, with each link's generation before and after.
 */
import labels from '../../templates/staff-actions.zh.json' with { type: 'json' };
import { linksRevokedEntry } from '../domain/audit.ts';
import { LinkError } from '../domain/links.ts';
import { institutionDirectory } from '../domain/pairings.ts';
import { isInJurisdiction, mayDo, StaffForbiddenError, type StaffIdentity } from '../domain/staff.ts';
import { ActionRefusedError, type AuditEntry } from '../domain/staff-actions.ts';
import { fill } from '../domain/wording.ts';
import { parseObligationId } from './personal-links.ts';
import type { LinkActionStore } from './ports.ts';

export interface LinkActionPorts {
  store: LinkActionStore;
  clock: () => Date;
}

export interface RevokedLinks {
  /** How many links stopped working. */
  revoked: number;
  audit: AuditEntry;
}

export async function revokePairingLinks(
  ports: LinkActionPorts,
  actor: StaffIdentity,
  pairingId: string,
  obligationId?: string,
  options: { reason?: string } = {},
): Promise<RevokedLinks> {
  const [pairings, programmes, institutions] = await Promise.all([
    ports.store.getPairings([pairingId]),
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  const pairing = pairings[0];
  const programme = programmes.find((p) => p.id === pairing?.programmeId);
  if (!pairing || !programme) throw new ActionRefusedError(fill(labels.links.unknownPairing, { pairingId }));
  if (obligationId !== undefined && !isObligationOf(obligationId, pairingId)) {
    throw new ActionRefusedError(fill(labels.links.notOfPairing, { obligationId, pairingId }));
  }
  if (!isInJurisdiction(actor, programme, pairing, institutionDirectory(institutions))) {
    throw new StaffForbiddenError('jurisdiction', labels.forbidden.jurisdiction);
  }
  if (!mayDo(actor, 'manage-links')) throw new StaffForbiddenError('role', labels.forbidden.role);
  const reason = options.reason?.trim();
  if (reason && reason.length > 500) throw new ActionRefusedError(labels.refused.reasonTooLong);

  const issued = (await ports.store.uploadLinksOfPairing(pairingId)).filter(
    (link) => obligationId === undefined || link.obligationId === obligationId,
  );
  if (issued.length === 0) throw new ActionRefusedError(labels.links.noneIssued);
  const at = ports.clock();
  const revoked = [];
  for (const link of issued) {
    revoked.push(
      await ports.store.revokeUploadLink(
        link.pairingId,
        link.kind,
        link.year,
        link.institutionId,
        at.toISOString(),
      ),
    );
  }
  const audit = linksRevokedEntry(
    actor,
    { programmeId: programme.id, pairingId, ...(obligationId ? { obligationId } : {}) },
    issued,
    revoked,
    at,
    reason || undefined,
  );
  await ports.store.appendAudit(audit);
  return { revoked: revoked.length, audit };
}

function isObligationOf(obligationId: string, pairingId: string): boolean {
  try {
    return parseObligationId(obligationId).pairingId === pairingId;
  } catch (error) {
    if (error instanceof LinkError) return false;
    throw error;
  }
}
