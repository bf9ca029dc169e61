/**
 * Upload slots: how a file gets from the upload page straight to S3.
 *
 * - A slot is requested with the file's name, declared type and size (and the annual figures): the
 *   server checks them, records the slot, and answers with a freshly presigned POST whose key it chose.
 * - The page then polls the slot until ingest (ingest-upload.ts), which trusts none of this and checks
 *   the object again, has accepted or refused the file.
 */
import { z } from 'zod';
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import type { UploadSlot } from '../domain/records.ts';
import { annualFiguresSchemaFor, needsFigures } from '../domain/submission.ts';
import { ACCEPTED_TYPES, acceptedTypeByExtension, acceptedTypeOf } from '../domain/upload.ts';
import { fill, formatSize } from '../domain/wording.ts';
import { pagePath, resolveLink, type UploadPorts } from './personal-links.ts';
import type { PresignedPost } from './ports.ts';

/** A refused slot request: HTTP status, Chinese message, and the field at fault. */
export class UploadRequestError extends Error {
  override readonly name = 'UploadRequestError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The request's refusals; an empty or too large file is ingest's refusal too, worded in uploadProblems. */
const words = labels.uploadRequests;
const problems = labels.uploadProblems;

const slotRequestSchema = z.strictObject({
  filename: z.string().trim().min(1).max(200),
  contentType: z.string().trim().max(100).default(''),
  size: z.number().int(),
  figures: z.unknown().optional(),
});

/**
 * Checks a slot request and answers with a presigned POST for a key the server chose:
 * `incoming/<programme>/<pairing>/<kind>-<year>/<slotId>`.
 */
export async function requestUploadSlot(
  ports: UploadPorts,
  token: string,
  body: unknown,
): Promise<PresignedPost & { slotId: string }> {
  const link = await resolveLink(ports, token);
  const parsed = slotRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UploadRequestError(
      400,
      fill(words.incomplete, {
        field: issue?.path.join('.') || words.wholeRequest,
        detail: issue?.message ?? '',
      }),
      String(issue?.path[0] ?? ''),
    );
  }
  const request = parsed.data;
  const { maxBytes } = ports.settings;
  const byName = acceptedTypeByExtension(request.filename);
  if (!byName) {
    throw new UploadRequestError(
      415,
      fill(words.unsupportedType, { types: ACCEPTED_TYPES.map((t) => t.label).join(labels.listSeparator) }),
      'filename',
    );
  }
  const declared = request.contentType
    ? acceptedTypeOf(request.contentType === 'image/jpg' ? 'image/jpeg' : request.contentType)
    : byName;
  if (!declared || declared.mime !== byName.mime) {
    throw new UploadRequestError(
      415,
      fill(words.typeMismatch, { declared: request.contentType || problems.unknownType }),
      'contentType',
    );
  }
  if (request.size <= 0) throw new UploadRequestError(400, problems.empty, 'size');
  if (request.size > maxBytes) {
    throw new UploadRequestError(
      413,
      fill(problems.tooLarge, { size: formatSize(request.size), limit: formatSize(maxBytes) }),
      'size',
    );
  }
  let figures: UploadSlot['figures'];
  if (needsFigures(link.rule)) {
    // Months within the programme's years, each stint overlapping the report's year.
    const checked = annualFiguresSchemaFor(link.programme, link.obligation.year).safeParse(request.figures);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const detail = [issue?.path.join('.'), issue?.message].filter(Boolean).join(' ');
      throw new UploadRequestError(400, fill(words.badFigures, { detail }), 'figures');
    }
    figures = checked.data;
  }

  const now = ports.clock();
  const slotId = ports.newId();
  const { obligation } = link;
  const key = `incoming/${link.programme.id}/${obligation.pairingId}/${obligation.kind}-${obligation.year}/${slotId}`;
  const redirectUrl = `${ports.settings.publicUrl}${pagePath(token)}/received?slot=${slotId}`;
  const { expiresAt, ...post } = await ports.presignPost({
    key,
    contentType: declared.mime,
    maxBytes,
    expiresInSeconds: ports.settings.postExpirySeconds,
    redirectUrl,
  });
  await ports.store.putUploadSlot({
    slotId,
    programmeId: link.programme.id,
    pairingId: obligation.pairingId,
    obligationId: obligation.id,
    kind: obligation.kind,
    year: obligation.year,
    institutionId: link.institution.id,
    generation: link.ticket.generation,
    filename: request.filename,
    declaredType: declared.mime,
    declaredSize: request.size,
    maxBytes,
    ...(figures ? { figures } : {}),
    bucket: ports.settings.bucket,
    key,
    issuedAt: now.toISOString(),
    postExpiresAt: expiresAt.toISOString(),
    state: 'issued',
  });
  return { ...post, slotId };
}

export interface SlotStatus {
  state: 'waiting' | 'accepted' | 'rejected';
  message: string;
}

export async function uploadSlotStatus(
  ports: UploadPorts,
  token: string,
  slotId: string,
): Promise<SlotStatus> {
  const link = await resolveLink(ports, token);
  const slot = /^[\w-]{8,64}$/.test(slotId)
    ? await ports.store.getUploadSlot(link.pairing.id, slotId)
    : undefined;
  if (!slot || slot.obligationId !== link.obligation.id || slot.institutionId !== link.institution.id) {
    throw new UploadRequestError(404, words.unknownSlot);
  }
  if (slot.state === 'accepted') {
    return {
      state: 'accepted',
      message: fill(labels.uploadStatus.accepted, {
        version: slot.submissionVersion ?? 1,
        filename: slot.filename,
      }),
    };
  }
  if (slot.state === 'rejected') {
    return { state: 'rejected', message: slot.reason ?? labels.uploadStatus.rejected };
  }
  return { state: 'waiting', message: labels.uploadStatus.waiting };
}
