/**
 * Personal upload links and the upload page: what a hospital sees when it opens the link from a
 * reminder, and the upload slot it gets to post its file straight to S3.
 *
 * - A link is a signed ticket for one obligation and institution, valid through the due date plus a
 *   grace period; its generation in the store makes it revocable.
 * - A slot is requested with the file's name, declared type and size (and the annual figures): the
 *   server checks them, records the slot, and answers with a freshly presigned POST whose key it chose.
 * - Ingest (ingest-upload.ts) trusts none of this and checks the object again.
 */
import { z } from 'zod';
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import { LinkError, type UploadTicket } from '../domain/links.ts';
import type {
  Institution,
  Obligation,
  ObligationKindRule,
  ObligationRecord,
  Pairing,
  Programme,
} from '../domain/model.ts';
import { beijingDate, beijingDateTime, daysBetween, deadlineOf, weekdayZh } from '../domain/plain-date.ts';
import type { UploadSlot } from '../domain/records.ts';
import { urgencyZh } from '../domain/reminders.ts';
import {
  annualFiguresSchemaFor,
  EMERGENCY_CENTRES,
  STATIONED_ROLES,
  type Submission,
} from '../domain/submission.ts';
import { obligationState } from '../domain/timeline.ts';
import {
  ACCEPTED_TYPES,
  acceptedTypeByExtension,
  acceptedTypeOf,
  type SubmissionHistoryRow,
  type UploadPageView,
} from '../domain/upload.ts';
import { dateZh } from '../domain/wording.ts';
import type { PresignedPost, UploadStore, UploadTickets } from './ports.ts';

export interface UploadPorts {
  store: UploadStore;
  tickets: UploadTickets;
  presignPost(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
    redirectUrl: string;
  }): Promise<PresignedPost & { expiresAt: Date }>;
  clock: () => Date;
  newId: () => string;
  settings: {
    publicUrl: string;
    bucket: string;
    maxBytes: number;
    graceDays: number;
    postExpirySeconds: number;
  };
}

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

/** Parses an obligation id `${pairingId}#${kind}#${year}`. */
export function parseObligationId(id: string): { pairingId: string; kind: string; year: number } {
  const [pairingId, kind, year] = id.split('#');
  if (!pairingId || !kind || !year || !/^\d{4}$/.test(year))
    throw new LinkError('unknown', `bad obligation id ${id}`);
  return { pairingId, kind, year: Number(year) };
}

export function pagePath(token: string): string {
  return `/u/${token}`;
}

/** The personal link for an obligation and institution, issuing its first generation if needed. */
export async function uploadLinkFor(
  ports: UploadPorts,
  obligation: Obligation,
  institution: Institution,
): Promise<string> {
  const record = await ports.store.ensureUploadLink({
    pairingId: obligation.pairingId,
    obligationId: obligation.id,
    kind: obligation.kind,
    year: obligation.year,
    institutionId: institution.id,
    generation: 1,
    issuedAt: ports.clock().toISOString(),
  });
  const token = await ports.tickets.issue({
    obligationId: obligation.id,
    institutionId: institution.id,
    generation: record.generation,
    expiresAt: linkExpiry(obligation.effectiveDueDate, ports.settings.graceDays),
  });
  return `${ports.settings.publicUrl}${pagePath(token)}`;
}

/** The end of the grace period after a due date, Beijing time. */
export function linkExpiry(dueDate: string, graceDays: number): Date {
  return new Date(deadlineOf(dueDate).getTime() + graceDays * 86_400_000);
}

/** Revokes an institution's links for an obligation: links already sent stop working. */
export async function revokeUploadLinks(ports: UploadPorts, obligationId: string, institutionId: string) {
  const { pairingId, kind, year } = parseObligationId(obligationId);
  const existing = await ports.store.getUploadLink(pairingId, kind, year, institutionId);
  if (!existing)
    throw new LinkError('unknown', `no link was issued for ${obligationId} and ${institutionId}`);
  return ports.store.revokeUploadLink(pairingId, kind, year, institutionId, ports.clock().toISOString());
}

export interface ResolvedLink {
  ticket: UploadTicket;
  programme: Programme;
  rule: ObligationKindRule;
  pairing: Pairing;
  obligation: Obligation;
  record: ObligationRecord;
  institution: Institution;
  institutions: Map<string, Institution>;
}

/** Verifies a link and loads what it points at; throws LinkError naming why it does not work. */
export async function resolveLink(ports: UploadPorts, token: string): Promise<ResolvedLink> {
  const ticket = await ports.tickets.verify(token, ports.clock());
  const { pairingId, kind, year } = parseObligationId(ticket.obligationId);
  const [link, stored, pairings, programmes, institutions] = await Promise.all([
    ports.store.getUploadLink(pairingId, kind, year, ticket.institutionId),
    ports.store.getObligation(pairingId, kind, year),
    ports.store.getPairings([pairingId]),
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  if (!link || !stored) throw new LinkError('unknown', 'link points at nothing we know');
  if (link.generation !== ticket.generation) throw new LinkError('revoked', 'link was revoked');
  const pairing = pairings[0];
  const programme = programmes.find((p) => p.id === pairing?.programmeId);
  const rule = programme?.obligationKinds.find((k) => k.kind === kind);
  const byId = new Map(institutions.map((i) => [i.id, i]));
  const institution = byId.get(ticket.institutionId);
  if (!pairing || !programme || !rule || !institution)
    throw new LinkError('unknown', 'link points at nothing we know');
  return {
    ticket,
    programme,
    rule,
    pairing,
    obligation: stored.obligation,
    record: stored.record,
    institution,
    institutions: byId,
  };
}

const STATE_ZH = {
  upcoming: '未开始',
  open: '待提交',
  submitted: '已按时提交',
  late: '已提交（逾期）',
  overdue: '已逾期，尚未提交',
  returned: '已退回，请重新提交',
  accepted: '已审核通过',
  exempt: '已豁免',
} as const;

export async function uploadPageView(ports: UploadPorts, token: string): Promise<UploadPageView> {
  const link = await resolveLink(ports, token);
  const { programme, rule, pairing, obligation, record, institution, institutions } = link;
  const now = ports.clock();
  const nameOf = (id: string) => institutions.get(id)?.name ?? id;
  const history = historyOf(await ports.store.submissionsOfPairing(pairing.id), obligation.id, nameOf);
  const accept = [
    ...ACCEPTED_TYPES.flatMap((t) => t.extensions.map((e) => `.${e}`)),
    ...ACCEPTED_TYPES.map((t) => t.mime),
  ];
  return {
    pagePath: pagePath(token),
    programme: { name: programme.name, shortName: programme.shortName },
    pairing: {
      recipient: nameOf(pairing.recipientId),
      supporters: pairing.supporterIds.map((id) => ({
        name: nameOf(id),
        lead: id === pairing.leadSupporterId,
      })),
      taskLevels: pairing.taskLevels.map((level) => labels.taskLevels[level]),
    },
    obligation: {
      kind: obligation.kind,
      title: rule.title,
      year: obligation.year,
      deliverable: rule.deliverable,
      dueDateZh: dateZh(obligation.effectiveDueDate),
      dueWeekdayZh: weekdayZh(obligation.effectiveDueDate),
      urgencyZh: urgencyZh(daysBetween(beijingDate(now), obligation.effectiveDueDate)),
      stateZh: STATE_ZH[obligationState(obligation, record, now)],
    },
    institution: institution.name,
    acceptedTypes: ACCEPTED_TYPES.map((t) => ({ label: t.label, extensions: t.extensions, mime: t.mime })),
    accept: accept.join(','),
    maxBytes: ports.settings.maxBytes,
    maxSizeLabel: formatSize(ports.settings.maxBytes),
    linkValidUntil: beijingDateTime(link.ticket.expiresAt),
    history,
    ...(needsFigures(rule)
      ? {
          figures: {
            year: obligation.year,
            guidance: programme.targets
              .filter((t) => t.scope === 'pairing-year' && (t.appliesTo ?? []).includes(pairing.category))
              .map((t) => t.text),
            centres: [...EMERGENCY_CENTRES],
            centreStatuses: Object.entries(PAGE_CENTRE_STATUS).map(([value, label]) => ({ value, label })),
            roles: STATIONED_ROLES.map((value) => ({ value, label: PAGE_ROLES[value] })),
          },
        }
      : {}),
  };
}

const PAGE_ROLES: Record<(typeof STATIONED_ROLES)[number], string> = {
  president: '院长',
  'vice-president': '副院长',
  'department-head': '科室主任',
  clinician: '临床医师',
  technician: '医技人员',
  manager: '管理人员',
};
const PAGE_CENTRE_STATUS = { built: '已建成', 'in-progress': '建设中', 'not-started': '未启动' };

/** The annual report carries the year's figures, so the annual summary can check the targets. */
export function needsFigures(rule: ObligationKindRule): boolean {
  return rule.kind === 'annual-report';
}

function historyOf(
  submissions: readonly Submission[],
  obligationId: string,
  nameOf: (id: string) => string,
): SubmissionHistoryRow[] {
  return submissions
    .filter((s) => s.obligationId === obligationId)
    .sort((a, b) => a.version - b.version)
    .map((s) => ({
      version: s.version,
      receivedAt: beijingDateTime(new Date(s.receivedAt)),
      filename: s.filename,
      size: formatSize(s.size),
      sha256: s.sha256.slice(0, 12),
      institution: nameOf(s.institutionId),
    }));
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
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
