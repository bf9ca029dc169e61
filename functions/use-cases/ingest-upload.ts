/**
 * Ingest of an uploaded object (S3 ObjectCreated, at least once, maybe out of order).
 *
 * 1. The key must be an upload slot the server issued and recorded, still waiting for its file;
 *    anything else is set aside untouched by the rest (a repeated event changes nothing).
 * 2. The object is checked again, trusting nothing from the form: size, not empty, the type by its
 *    content, a PDF that parses.
 * 3. Accepted: copied to `submissions/…` (versioned), recorded as a submission (who, when, sha256,
 *    size, key, version), the obligation marked submitted (so the tick stops reminding), a receipt
 *    emailed to the uploader and the lead supporter.
 *    Rejected: moved aside to `rejected/…` with the reason recorded; the uploader is told why.
 * 4. The slot is finished and the incoming object deleted last, so a crash at any step is finished by
 *    the redelivered event without duplicates: every step before is idempotent.
 */

import type { NoticeRenderer } from '../adapters/email-renderer.ts';
import type { UploadNoticeView } from '../domain/email.ts';
import type { Institution, ObligationKindRule, Pairing, Programme } from '../domain/model.ts';
import { beijingDate, beijingDateTime, deadlineOf, weekdayZh } from '../domain/plain-date.ts';
import { dateZh } from '../domain/reminders.ts';
import type { Submission } from '../domain/submission.ts';
import { acceptedTypeOf, type InspectionResult, type UploadProblem } from '../domain/upload.ts';
import type { Mailer, ReminderStore, UploadSlot } from './ports.ts';
import { addresseesOf, envelopeOf, recordsOf, sendOnce } from './send-once.ts';
import { formatSize, type UploadPorts, type UploadStore, uploadLinkFor } from './uploads.ts';

export interface FileStore {
  /** Size of the object, or undefined when it is gone (already ingested). */
  size(bucket: string, key: string): Promise<number | undefined>;
  read(bucket: string, key: string): Promise<Uint8Array>;
  copy(bucket: string, fromKey: string, toKey: string): Promise<{ versionId?: string }>;
  remove(bucket: string, key: string): Promise<void>;
}

export interface IngestStore extends UploadStore, ReminderStore {
  finishUploadSlot(
    pairingId: string,
    slotId: string,
    outcome: Pick<UploadSlot, 'state' | 'reason' | 'problemCode' | 'submissionVersion' | 'finishedAt'>,
  ): Promise<boolean>;
  putSubmission(submission: Submission): Promise<boolean>;
  recordObligationFacts(
    pairingId: string,
    kind: string,
    year: number,
    facts: { submittedAt?: string },
  ): Promise<unknown>;
}

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
  /** For the links in notices. */
  uploads: UploadPorts;
}

export type IngestOutcome =
  | { outcome: 'accepted'; slotId: string; version: number }
  | { outcome: 'rejected'; slotId: string; problem: UploadProblem }
  | { outcome: 'ignored'; reason: string };

const INCOMING = /^incoming\/([a-z0-9-]+)\/([a-z0-9.-]+)\/([a-z0-9-]+)-(\d{4})\/([\w-]{8,64})$/;

export const INCOMING_PREFIX = 'incoming/';

export async function ingestUpload(
  ports: IngestPorts,
  object: { bucket: string; key: string },
): Promise<IngestOutcome> {
  const match = INCOMING.exec(object.key);
  if (!match) return { outcome: 'ignored', reason: `not an upload slot key: ${object.key}` };
  const [, , pairingId, , , slotId] = match as unknown as [string, string, string, string, string, string];
  const slot = await ports.store.getUploadSlot(pairingId, slotId);
  if (!slot || slot.key !== object.key || slot.bucket !== object.bucket) {
    // Nobody was given this key: keep the object out of the way, record nothing else.
    await setAside(
      ports,
      object.bucket,
      object.key,
      `rejected/unmatched/${object.key.slice(INCOMING_PREFIX.length)}`,
    );
    return { outcome: 'ignored', reason: `no upload slot for ${object.key}` };
  }
  if (slot.state !== 'issued') return { outcome: 'ignored', reason: `slot ${slotId} already ${slot.state}` };

  const size = await ports.files.size(slot.bucket, slot.key);
  if (size === undefined) return { outcome: 'ignored', reason: `object ${slot.key} is gone` };
  const receivedAt = ports.clock().toISOString();
  const inspection: InspectionResult =
    size > slot.maxBytes
      ? {
          ok: false,
          size,
          sha256: '',
          problem: {
            code: 'too-large',
            message: `文件大小 ${formatSize(size)}，超过 ${formatSize(slot.maxBytes)} 的上限。`,
          },
        }
      : await ports.inspect(await ports.files.read(slot.bucket, slot.key), {
          declaredType: slot.declaredType,
          maxBytes: slot.maxBytes,
        });

  const context = await contextOf(ports, slot);
  if (!inspection.ok) {
    await notify(ports, context, slot, 'rejection', {
      receivedAt,
      size,
      sha256: inspection.sha256,
      reason: inspection.problem.message,
    });
    await ports.files.copy(
      slot.bucket,
      slot.key,
      `rejected/${slot.pairingId}/${slot.slotId}/${safeName(slot.filename)}`,
    );
    await ports.store.finishUploadSlot(slot.pairingId, slot.slotId, {
      state: 'rejected',
      reason: inspection.problem.message,
      problemCode: inspection.problem.code,
      finishedAt: receivedAt,
    });
    await ports.files.remove(slot.bucket, slot.key);
    return { outcome: 'rejected', slotId, problem: inspection.problem };
  }

  const extension = acceptedTypeOf(inspection.detectedType)?.extensions[0] ?? 'bin';
  const destination = `submissions/${slot.programmeId}/${slot.pairingId}/${slot.kind}-${slot.year}/${slot.slotId}.${extension}`;
  const { versionId } = await ports.files.copy(slot.bucket, slot.key, destination);
  const earlier = (await ports.store.submissionsOfPairing(slot.pairingId)).filter(
    (s) => s.obligationId === slot.obligationId && s.id !== slot.slotId,
  );
  const version = earlier.length + 1;
  await ports.store.putSubmission({
    id: slot.slotId,
    programmeId: slot.programmeId,
    pairingId: slot.pairingId,
    obligationId: slot.obligationId,
    kind: slot.kind,
    year: slot.year,
    institutionId: slot.institutionId,
    version,
    receivedAt,
    bucket: slot.bucket,
    key: destination,
    ...(versionId ? { s3VersionId: versionId } : {}),
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
  await notify(ports, context, slot, 'receipt', {
    receivedAt,
    size: inspection.size,
    sha256: inspection.sha256,
    version,
    timelinessZh: onTime ? '按时提交' : '逾期提交',
  });
  await ports.store.finishUploadSlot(slot.pairingId, slot.slotId, {
    state: 'accepted',
    submissionVersion: version,
    finishedAt: receivedAt,
  });
  await ports.files.remove(slot.bucket, slot.key);
  return { outcome: 'accepted', slotId, version };
}

async function setAside(ports: IngestPorts, bucket: string, key: string, to: string): Promise<void> {
  if ((await ports.files.size(bucket, key)) === undefined) return;
  await ports.files.copy(bucket, key, to);
  await ports.files.remove(bucket, key);
}

function safeName(filename: string): string {
  return filename.replace(/[^\w.\-\u4e00-\u9fff]+/g, '_').slice(0, 120) || 'file';
}

interface NoticeContext {
  programme: Programme;
  rule: ObligationKindRule;
  pairing: Pairing;
  obligation: {
    id: string;
    effectiveDueDate: string;
    kind: string;
    year: number;
    pairingId: string;
    programmeId: string;
    dueDate: string;
    opensOn: string;
  };
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

/** Emails the uploader's coordinators, with the lead supporter's in copy, exactly once per slot. */
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
): Promise<void> {
  const { pairing, obligation, programme, rule, institutions } = context;
  const nameOf = (id: string) => institutions.get(id)?.name ?? id;
  const uploader = institutions.get(slot.institutionId);
  const lead = institutions.get(pairing.leadSupporterId);
  const addressees = await addresseesOf(ports.store, {
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
    addressees.all,
    ports.clock(),
  );
  if (records.length === 0) return;
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
    sha256: facts.sha256 || '（未计算）',
    ...(facts.version ? { version: facts.version } : {}),
    ...(facts.timelinessZh ? { timelinessZh: facts.timelinessZh } : {}),
    ...(facts.reason ? { reason: facts.reason } : {}),
    uploadUrl,
  };
  const outcome = await sendOnce(
    { store: ports.store, mailer: ports.mailer, clock: ports.clock, claimLeaseMs: ports.claimLeaseMs },
    records,
    (claimed) => ports.notices.render(template, view, envelopeOf(ports.sender, claimed)),
  );
  // A notice that failed transiently is retried with the redelivered event: the slot stays open.
  if (outcome.failed.length > 0)
    throw new Error(`notice for slot ${slot.slotId} failed: ${outcome.failed[0]}`);
}
