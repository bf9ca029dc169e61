/**
 * Upload slots: how a file gets from the upload page straight to S3.
 *
 * - A slot is requested with the file's name, declared type and size (and the annual figures): the
 *   server checks them, records the slot, and answers with a freshly presigned POST whose key it chose.
 * - The page then polls the slot until ingest (ingest-upload.ts), which trusts none of this and checks
 *   the object again, has accepted or refused the file.
 */
import { z } from 'zod';
import type { UploadSlot } from '../domain/records.ts';
import { annualFiguresSchemaFor, needsFigures } from '../domain/submission.ts';
import { ACCEPTED_TYPES, acceptedTypeByExtension, acceptedTypeOf } from '../domain/upload.ts';
import { formatSize } from '../domain/wording.ts';
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
      `请求内容不完整：${issue?.path.join('.') || '(请求)'} ${issue?.message ?? ''}`,
      String(issue?.path[0] ?? ''),
    );
  }
  const request = parsed.data;
  const { maxBytes } = ports.settings;
  const byName = acceptedTypeByExtension(request.filename);
  if (!byName) {
    throw new UploadRequestError(
      415,
      `文件格式不支持：仅接受 ${ACCEPTED_TYPES.map((t) => t.label).join('、')} 文件。`,
      'filename',
    );
  }
  const declared = request.contentType
    ? acceptedTypeOf(request.contentType === 'image/jpg' ? 'image/jpeg' : request.contentType)
    : byName;
  if (!declared || declared.mime !== byName.mime) {
    throw new UploadRequestError(
      415,
      `文件扩展名与文件类型不一致（${request.contentType || '未知类型'}），请确认后重新选择。`,
      'contentType',
    );
  }
  if (request.size <= 0) throw new UploadRequestError(400, '文件为空，请重新选择文件上传。', 'size');
  if (request.size > maxBytes) {
    throw new UploadRequestError(
      413,
      `文件大小 ${formatSize(request.size)}，超过 ${formatSize(maxBytes)} 的上限。`,
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
      throw new UploadRequestError(400, `年度数据填写有误：${detail}`, 'figures');
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
    throw new UploadRequestError(404, '找不到这次上传记录，请返回上传页面重新上传。');
  }
  if (slot.state === 'accepted') {
    return {
      state: 'accepted',
      message: `校验通过，提交成功（第 ${slot.submissionVersion ?? 1} 版，${slot.filename}）。回执已发送至联络员邮箱。`,
    };
  }
  if (slot.state === 'rejected') return { state: 'rejected', message: slot.reason ?? '文件未通过校验。' };
  return { state: 'waiting', message: '已收到文件，正在校验…' };
}
