/**
 * Ingest of an uploaded object (S3 Object Created: at least once, sometimes twice at the same moment,
 * in any order).
 *
 * 1. The key must be an upload slot the server issued and recorded; an object nobody was given a key
 *    for is set aside under `rejected/unmatched/`.
 * 2. The object is read once, and from then on ingest works on those bytes only: what is stored is
 *    exactly what was checked, whatever lands at the key meanwhile (a presigned POST can be replayed
 *    until it expires).
 * 3. The slot is claimed for that object (its ETag) with a conditional write: the first object wins.
 *    Any other object at the key (posted again with the same form, or after the slot finished) is set
 *    aside under `rejected/<pairing>/<slot>/` and reported, never accepted in place of the first.
 * 4. Checked, trusting nothing from the form: it reached S3 while the POST was valid, through a link
 *    not revoked since; then its size, not empty, the type by its content, a PDF that parses.
 * 5. Accepted: the bytes stored under `submissions/…`, recorded as the next version of the obligation
 *    (one record per slot, however often the event comes), the obligation marked submitted (so the tick
 *    stops reminding), a receipt emailed to the uploader and the lead supporter.
 *    Refused: the bytes stored under `rejected/…`, the reason recorded, the uploader told why.
 * 6. The slot is finished and the incoming object removed last, so a crash at any step is finished by
 *    the redelivered event without duplicates: every step before it is idempotent.
 */

import labels from '../../templates/labels.zh.json' with { type: 'json' };

import type { UploadNoticeView } from '../domain/email.ts';
import type { Institution, Obligation, ObligationKindRule, Pairing, Programme } from '../domain/model.ts';
import { beijingDate, beijingDateTime, deadlineOf, weekdayZh } from '../domain/plain-date.ts';
import type { UploadSlot } from '../domain/records.ts';
import { acceptedTypeOf, type InspectionResult, type UploadProblem } from '../domain/upload.ts';
import { dateZh, fill, formatSize } from '../domain/wording.ts';
import { type UploadPorts, uploadLinkFor } from './personal-links.ts';
import type { FileStore, IngestStore, LeaseClock, Mailer, NoticeRenderer, StoredObject } from './ports.ts';
import { envelopeOf, reachableAddressees, recordsOf, sendOnce } from './send-once.ts';

export interface IngestPorts {
  store: IngestStore;
  files: FileStore;
  inspect(bytes: Uint8Array, expect: { declaredType: string; maxBytes: number }): Promise<InspectionResult>;
  mailer: Mailer;
  notices: NoticeRenderer;
  sender: string;
  clock: () => Date;
  runId: string;
  claimLeaseMs: number;
  /** What the notices' claims and their leases are timed by (send-once.ts); the wall clock by default. */
  leaseClock?: LeaseClock;
  /** For the links in notices, and the size limit of objects no slot names. */
  uploads: UploadPorts;
}

export type IngestOutcome =
  | { outcome: 'accepted'; slotId: string; version: number; unconfirmed: string[] }
  | { outcome: 'rejected'; slotId: string; problem: UploadProblem; unconfirmed: string[] }
  /** Another object at a slot's key than the one the slot took: kept under `rejected/`, not used. */
  | { outcome: 'set-aside'; slotId: string; reason: string; keptAs?: string }
  | { outcome: 'ignored'; reason: string };

const INCOMING = /^incoming\/([a-z0-9-]+)\/([a-z0-9.-]+)\/([a-z0-9-]+)-(\d{4})\/([\w-]{8,64})$/;

export const INCOMING_PREFIX = 'incoming/';

/**
 * S3 checks a POST's expiry when the upload starts, and stamps the object when it has arrived: a large
 * file on a slow connection that started in time may land this much later.
 */
export const UPLOAD_ARRIVAL_ALLOWANCE_MS = 15 * 60_000;

export async function ingestUpload(
  ports: IngestPorts,
  object: { bucket: string; key: string; versionId?: string },
): Promise<IngestOutcome> {
  const match = INCOMING.exec(object.key);
  if (!match) return { outcome: 'ignored', reason: `not an upload slot key: ${object.key}` };
  const [, , pairingId, , , slotId] = match as unknown as [string, string, string, string, string, string];
  const slot = await ports.store.getUploadSlot(pairingId, slotId);
  const known = slot && slot.key === object.key && slot.bucket === object.bucket ? slot : undefined;
  const stored = await ports.files.read(object.bucket, object.key, {
    ...(object.versionId ? { versionId: object.versionId } : {}),
    maxBytes: known?.maxBytes ?? ports.uploads.settings.maxBytes,
  });
  if (!stored) return { outcome: 'ignored', reason: `object ${object.key} is gone` };
  if (!known) {
    // Nobody was given this key: keep the object out of the way, record nothing else.
    await setAside(ports, object, stored, `rejected/unmatched/${object.key.slice(INCOMING_PREFIX.length)}`);
    return { outcome: 'ignored', reason: `no upload slot for ${object.key}` };
  }

  const claimed =
    known.state === 'issued'
      ? await ports.store.claimUploadSlot(pairingId, slotId, {
          objectETag: stored.etag,
          receivedAt: ports.clock().toISOString(),
        })
      : undefined;
  if (!claimed) {
    // Finished, or claimed by another object a moment ago: which object holds it now?
    const current = known.state === 'issued' ? await ports.store.getUploadSlot(pairingId, slotId) : known;
    if (current?.objectETag === stored.etag) {
      // This very object, already handled by an earlier delivery that stopped before removing it.
      await ports.files.remove(object.bucket, object.key, stored.etag);
      return { outcome: 'ignored', reason: `slot ${slotId} already ${current.state}` };
    }
    const keptAs = await setAside(
      ports,
      object,
      stored,
      `rejected/${pairingId}/${slotId}/other-${stored.etag.replace(/\W/g, '')}`,
    );
    return {
      outcome: 'set-aside',
      slotId,
      reason: `slot ${slotId} took another object (${current?.state ?? 'gone'}); this one was not used`,
      ...(keptAs ? { keptAs } : {}),
    };
  }
  return checkAndFile(ports, claimed, stored);
}

async function checkAndFile(
  ports: IngestPorts,
  slot: UploadSlot,
  object: StoredObject,
): Promise<IngestOutcome> {
  const receivedAt = slot.receivedAt ?? ports.clock().toISOString();
  const inspection = await inspect(ports, slot, object);
  const context = await contextOf(ports, slot);
  if (!inspection.ok) {
    if (object.bytes) {
      await ports.files.write(
        slot.bucket,
        `rejected/${slot.pairingId}/${slot.slotId}/${safeName(slot.filename)}`,
        object.bytes,
        'application/octet-stream',
      );
    }
    const notice = await notify(ports, context, slot, 'rejection', {
      receivedAt,
      size: object.size,
      sha256: inspection.sha256,
      reason: inspection.problem.message,
    });
    await ports.store.finishUploadSlot(slot.pairingId, slot.slotId, {
      state: 'rejected',
      reason: inspection.problem.message,
      problemCode: inspection.problem.code,
      finishedAt: receivedAt,
    });
    await ports.files.remove(slot.bucket, slot.key, object.etag);
    return { outcome: 'rejected', slotId: slot.slotId, problem: inspection.problem, ...notice };
  }

  const extension = acceptedTypeOf(inspection.detectedType)?.extensions[0] ?? 'bin';
  const destination = `submissions/${slot.programmeId}/${slot.pairingId}/${slot.kind}-${slot.year}/${slot.slotId}.${extension}`;
  await ports.files.write(slot.bucket, destination, object.bytes as Uint8Array, inspection.detectedType);
  const submission = await ports.store.appendSubmission({
    id: slot.slotId,
    programmeId: slot.programmeId,
    pairingId: slot.pairingId,
    obligationId: slot.obligationId,
    kind: slot.kind,
    year: slot.year,
    institutionId: slot.institutionId,
    receivedAt,
    bucket: slot.bucket,
    key: destination,
    sha256: inspection.sha256,
    size: inspection.size,
    contentType: inspection.detectedType,
    filename: slot.filename,
    ...(slot.figures ? { figures: slot.figures } : {}),
  });
  // The first accepted submission decides timeliness; a later version replaces the file, not the date.
  const current = await ports.store.getObligation(slot.pairingId, slot.kind, slot.year);
  const returnedSince = current?.record.review?.outcome === 'returned';
  if (current && (!current.record.submittedAt || returnedSince)) {
    await ports.store.recordObligationFacts(slot.pairingId, slot.kind, slot.year, {
      submittedAt: receivedAt,
    });
  }
  const onTime =
    new Date(current?.record.submittedAt ?? receivedAt) < deadlineOf(context.obligation.effectiveDueDate);
  const notice = await notify(ports, context, slot, 'receipt', {
    receivedAt,
    size: inspection.size,
    sha256: inspection.sha256,
    version: submission.version,
    timelinessZh: onTime ? labels.uploadNotices.onTime : labels.uploadNotices.late,
  });
  await ports.store.finishUploadSlot(slot.pairingId, slot.slotId, {
    state: 'accepted',
    submissionVersion: submission.version,
    finishedAt: receivedAt,
  });
  await ports.files.remove(slot.bucket, slot.key, object.etag);
  return { outcome: 'accepted', slotId: slot.slotId, version: submission.version, ...notice };
}

/**
 * Whether the slot still takes a file, then the file itself. A slot's link revoked since it was issued
 * refuses its file: revoking exists to stop a link that reached the wrong hands.
 */
async function inspect(
  ports: IngestPorts,
  slot: UploadSlot,
  object: StoredObject,
): Promise<InspectionResult> {
  const refused = (problem: UploadProblem): InspectionResult => ({
    ok: false,
    size: object.size,
    sha256: '',
    problem,
  });
  const postExpiry = Date.parse(slot.postExpiresAt);
  if (object.lastModified.getTime() > postExpiry + UPLOAD_ARRIVAL_ALLOWANCE_MS) {
    const minutes = Math.round((postExpiry - Date.parse(slot.issuedAt)) / 60_000);
    return refused({
      code: 'slot-expired',
      message: fill(labels.uploadProblems.slotExpired, { minutes: minutes > 0 ? minutes : 10 }),
    });
  }
  const link = await ports.store.getUploadLink(slot.pairingId, slot.kind, slot.year, slot.institutionId);
  if (!link || link.generation !== slot.generation) {
    return refused({ code: 'link-revoked', message: labels.uploadProblems.linkRevoked });
  }
  if (!object.bytes || object.size > slot.maxBytes) {
    return refused({
      code: 'too-large',
      message: fill(labels.uploadProblems.tooLarge, {
        size: formatSize(object.size),
        limit: formatSize(slot.maxBytes),
      }),
    });
  }
  return ports.inspect(object.bytes, { declaredType: slot.declaredType, maxBytes: slot.maxBytes });
}

/** Keeps an object ingest will not use under `to` (when its content was read), then clears it. */
async function setAside(
  ports: IngestPorts,
  object: { bucket: string; key: string },
  stored: StoredObject,
  to: string,
): Promise<string | undefined> {
  if (stored.bytes) await ports.files.write(object.bucket, to, stored.bytes, 'application/octet-stream');
  await ports.files.remove(object.bucket, object.key, stored.etag);
  return stored.bytes ? to : undefined;
}

function safeName(filename: string): string {
  return filename.replace(/[^\w.\-\u4e00-\u9fff]+/g, '_').slice(0, 120) || 'file';
}

interface NoticeContext {
  programme: Programme;
  rule: ObligationKindRule;
  pairing: Pairing;
  obligation: Obligation;
  institutions: Map<string, Institution>;
}

async function contextOf(ports: IngestPorts, slot: UploadSlot): Promise<NoticeContext> {
  const [programmes, pairings, institutions, stored] = await Promise.all([
    ports.store.listProgrammes(),
    ports.store.getPairings([slot.pairingId]),
    ports.store.listInstitutions(),
    ports.store.getObligation(slot.pairingId, slot.kind, slot.year),
  ]);
  const programme = programmes.find((p) => p.id === slot.programmeId);
  const rule = programme?.obligationKinds.find((k) => k.kind === slot.kind);
  const pairing = pairings[0];
  if (!programme || !rule || !pairing || !stored)
    throw new Error(`slot ${slot.slotId} points at a missing obligation`);
  return {
    programme,
    rule,
    pairing,
    obligation: stored.obligation,
    institutions: new Map(institutions.map((i) => [i.id, i])),
  };
}

/**
 * Emails the uploader's coordinators, with the lead supporter's in copy, exactly once per slot; returns
 * the addresses an earlier delivery handed to SES without recording whether it went out.
 */
async function notify(
  ports: IngestPorts,
  context: NoticeContext,
  slot: UploadSlot,
  template: 'receipt' | 'rejection',
  facts: {
    receivedAt: string;
    size: number;
    sha256: string;
    version?: number;
    timelinessZh?: string;
    reason?: string;
  },
): Promise<{ unconfirmed: string[] }> {
  const { pairing, obligation, programme, rule, institutions } = context;
  const nameOf = (id: string) => institutions.get(id)?.name ?? id;
  const uploader = institutions.get(slot.institutionId);
  const lead = institutions.get(pairing.leadSupporterId);
  const { reachable } = await reachableAddressees(ports.store, {
    to: uploader ? [uploader] : [],
    cc: template === 'receipt' && lead ? [lead] : [],
  });
  const records = recordsOf(
    {
      programmeId: slot.programmeId,
      pairingId: slot.pairingId,
      obligationId: slot.obligationId,
      kind: slot.kind,
      year: slot.year,
      stage: `${template}-${slot.slotId}`,
      day: beijingDate(new Date(facts.receivedAt)),
      runId: ports.runId,
    },
    reachable,
    ports.clock(),
  );
  if (records.length === 0) return { unconfirmed: [] };
  const uploadUrl = uploader
    ? await uploadLinkFor(ports.uploads, obligation, uploader)
    : ports.uploads.settings.publicUrl;
  const view: UploadNoticeView = {
    programme: { name: programme.name },
    pairing: { recipient: nameOf(pairing.recipientId), lead: nameOf(pairing.leadSupporterId) },
    obligation: {
      id: obligation.id,
      title: rule.title,
      year: obligation.year,
      dueDateZh: dateZh(obligation.effectiveDueDate),
      dueWeekdayZh: weekdayZh(obligation.effectiveDueDate),
    },
    institution: nameOf(slot.institutionId),
    filename: slot.filename,
    receivedAt: beijingDateTime(new Date(facts.receivedAt)),
    size: formatSize(facts.size),
    sha256: facts.sha256 || labels.uploadNotices.sha256NotComputed,
    ...(facts.version ? { version: facts.version } : {}),
    ...(facts.timelinessZh ? { timelinessZh: facts.timelinessZh } : {}),
    ...(facts.reason ? { reason: facts.reason } : {}),
    uploadUrl,
  };
  const outcome = await sendOnce(
    {
      store: ports.store,
      mailer: ports.mailer,
      clock: ports.clock,
      claimLeaseMs: ports.claimLeaseMs,
      leaseClock: ports.leaseClock,
    },
    records,
    (claimed) => ports.notices.render(template, view, envelopeOf(ports.sender, claimed)),
  );
  // A notice that failed transiently is retried with the redelivered event: the slot stays open.
  if (outcome.failed.length > 0)
    throw new Error(`notice for slot ${slot.slotId} failed: ${outcome.failed[0]}`);
  return { unconfirmed: outcome.unconfirmed };
}
