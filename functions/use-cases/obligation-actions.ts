/**
 * A staff action on one obligation: accept or return its submission, extend its due date, exempt it
 * or undo the exemption. The console, the command line and the tests call this one function; only
 * the actor differs.
 *
 * 1. Load the obligation (with its version), its pairing and programme.
 * 2. The actor must oversee the pairing (the provincial commission, or a city commission the plan
 *    routes it to) and have a role that may act: refused with StaffForbiddenError otherwise.
 * 3. The domain gives the next record (or refuses); the change and its audit entry are written in
 *    one conditional write on the version read, so of two staff acting at once one wins and the
 *    other is told what changed, and nothing is half-written.
 * 4. A return emails the institutions that submitted, with the reason and a fresh upload link,
 *    exactly once per return.
 */

import labels from '../../templates/staff-actions.zh.json' with { type: 'json' };
import { ConcurrentChangeError } from '../domain/errors.ts';
import { LinkError } from '../domain/links.ts';
import type { Institution, ObligationRecord } from '../domain/model.ts';
import { institutionDirectory } from '../domain/pairings.ts';
import { beijingDate, beijingDateTime, weekdayZh } from '../domain/plain-date.ts';
import type { StoredObligation } from '../domain/records.ts';
import {
  isInJurisdiction,
  mayDo,
  type StaffAction,
  StaffForbiddenError,
  type StaffIdentity,
} from '../domain/staff.ts';
import {
  ActionRefusedError,
  type ActionRequest,
  type AuditEntry,
  applyAction,
  obligationAuditEntry,
} from '../domain/staff-actions.ts';
import { dateZh, fill, formatSize } from '../domain/wording.ts';
import { parseObligationId, type UploadPorts, uploadLinkFor } from './personal-links.ts';
import type { LeaseClock, Mailer, NoticeRenderer, ObligationActionStore } from './ports.ts';
import { envelopeOf, reachableAddressees, recordsOf, sendOnce } from './send-once.ts';

export interface ObligationActionPorts {
  store: ObligationActionStore;
  mailer: Mailer;
  notices: NoticeRenderer;
  uploads: UploadPorts;
  sender: string;
  clock: () => Date;
  runId: string;
  claimLeaseMs: number;
  leaseClock?: LeaseClock;
}

export interface ObligationActionResult {
  obligation: StoredObligation;
  audit: AuditEntry;
  /** For a return: the messages sent to the uploaders, and addresses a dead run left unconfirmed. */
  notified: { to: string[]; cc: string[] }[];
  unconfirmed: string[];
}

const PERMISSION: Record<ActionRequest['action'], StaffAction> = {
  accept: 'review',
  return: 'review',
  extend: 'extend',
  exempt: 'exempt',
  unexempt: 'exempt',
};

export async function actOnObligation(
  ports: ObligationActionPorts,
  actor: StaffIdentity,
  obligationId: string,
  request: ActionRequest,
): Promise<ObligationActionResult> {
  let ids: ReturnType<typeof parseObligationId>;
  try {
    ids = parseObligationId(obligationId);
  } catch (error) {
    if (error instanceof LinkError)
      throw new ActionRefusedError(fill(labels.unknownObligation, { obligationId }));
    throw error;
  }
  const [current, pairings, programmes, institutions] = await Promise.all([
    ports.store.getObligation(ids.pairingId, ids.kind, ids.year),
    ports.store.getPairings([ids.pairingId]),
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  const pairing = pairings[0];
  const programme = programmes.find((p) => p.id === pairing?.programmeId);
  if (!current || !pairing || !programme) {
    throw new ActionRefusedError(fill(labels.unknownObligation, { obligationId }));
  }
  const directory = institutionDirectory(institutions);
  if (!isInJurisdiction(actor, programme, pairing, directory)) {
    throw new StaffForbiddenError('jurisdiction', labels.forbidden.jurisdiction);
  }
  if (!mayDo(actor, PERMISSION[request.action])) {
    throw new StaffForbiddenError('role', labels.forbidden.role);
  }

  const at = ports.clock();
  const record = applyAction(current.obligation, current.record, request, at);
  const audit = obligationAuditEntry(
    actor,
    current.obligation,
    request,
    current.record,
    record,
    current.version + 1,
    at,
  );
  const written = await writeOrExplain(ports, current, record, audit, directory.byId);

  const result: ObligationActionResult = { obligation: written, audit, notified: [], unconfirmed: [] };
  if (request.action === 'return') {
    await notifyReturn(ports, written, audit, directory.byId, result);
  }
  return result;
}

/**
 * The conditional write; when someone else changed the obligation since it was read, the actor is
 * told who did what, so they can look again before acting.
 */
async function writeOrExplain(
  ports: ObligationActionPorts,
  current: StoredObligation,
  record: ObligationRecord,
  audit: AuditEntry,
  institutions: Map<string, Institution>,
): Promise<StoredObligation> {
  try {
    return await ports.store.replaceObligationRecord(current, record, audit);
  } catch (error) {
    if (!(error instanceof ConcurrentChangeError)) throw error;
    const { obligation } = current;
    const now = await ports.store.getObligation(obligation.pairingId, obligation.kind, obligation.year);
    const last = now?.audit?.at(-1);
    throw new ActionRefusedError(
      last
        ? fill(labels.refused.changedBy, {
            name: last.actor.name,
            commission: institutions.get(last.actor.commissionId)?.name ?? last.actor.commissionId,
            action: labels.actions[last.action],
          })
        : labels.refused.changedMeanwhile,
    );
  }
}

/** The uploaders of the version returned get the reason and their link, once per return. */
async function notifyReturn(
  ports: ObligationActionPorts,
  stored: StoredObligation,
  audit: AuditEntry,
  institutions: Map<string, Institution>,
  result: ObligationActionResult,
): Promise<void> {
  const { obligation } = stored;
  const [submissions, programmes, pairings] = await Promise.all([
    ports.store.submissionsOfObligation(obligation.pairingId, obligation.kind, obligation.year),
    ports.store.listProgrammes(),
    ports.store.getPairings([obligation.pairingId]),
  ]);
  const latest = submissions.reduce<(typeof submissions)[number] | undefined>(
    (best, s) => (!best || s.version > best.version ? s : best),
    undefined,
  );
  const programme = programmes.find((p) => p.id === obligation.programmeId);
  const rule = programme?.obligationKinds.find((k) => k.kind === obligation.kind);
  const pairing = pairings[0];
  if (!latest || !rule || !pairing) return;
  const nameOf = (id: string) => institutions.get(id)?.name ?? id;
  const uploaders = [...new Set(submissions.map((s) => s.institutionId))].flatMap((id) => {
    const institution = institutions.get(id);
    return institution ? [institution] : [];
  });
  for (const uploader of uploaders) {
    const { reachable } = await reachableAddressees(ports.store, { to: [uploader], cc: [] });
    const records = recordsOf(
      {
        programmeId: obligation.programmeId,
        pairingId: obligation.pairingId,
        obligationId: obligation.id,
        kind: obligation.kind,
        year: obligation.year,
        stage: `returned-${audit.id.split('#').pop()}`,
        day: beijingDate(new Date(audit.at)),
        runId: ports.runId,
      },
      reachable,
      ports.clock(),
    );
    if (records.length === 0) continue;
    const uploadUrl = await uploadLinkFor(ports.uploads, obligation, uploader);
    const outcome = await sendOnce(
      {
        store: ports.store,
        mailer: ports.mailer,
        clock: ports.clock,
        claimLeaseMs: ports.claimLeaseMs,
        ...(ports.leaseClock ? { leaseClock: ports.leaseClock } : {}),
      },
      records,
      (claimed) =>
        ports.notices.render(
          'returned',
          {
            programme: { name: programme?.name ?? obligation.programmeId },
            pairing: { recipient: nameOf(pairing.recipientId), lead: nameOf(pairing.leadSupporterId) },
            obligation: {
              id: obligation.id,
              title: rule.title,
              year: obligation.year,
              dueDateZh: dateZh(obligation.effectiveDueDate),
              dueWeekdayZh: weekdayZh(obligation.effectiveDueDate),
            },
            institution: nameOf(latest.institutionId),
            filename: latest.filename,
            receivedAt: beijingDateTime(new Date(latest.receivedAt)),
            size: formatSize(latest.size),
            sha256: latest.sha256,
            version: latest.version,
            reason: audit.reason ?? '',
            reviewer: nameOf(audit.actor.commissionId),
            uploadUrl,
          },
          envelopeOf(ports.sender, claimed),
        ),
    );
    for (const sent of outcome.sent) result.notified.push({ to: sent.to, cc: sent.cc });
    result.unconfirmed.push(...outcome.unconfirmed);
    if (outcome.failed.length > 0)
      throw new Error(`return notice for ${obligation.id} failed: ${outcome.failed[0]}`);
  }
}
