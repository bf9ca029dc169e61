/**
 * The upload page: what a hospital sees when it opens the personal link from a reminder. The obligation
 * and its state, the files accepted, the versions submitted so far, and for the annual report the form
 * for the year's figures.
 */
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import { beijingDate, beijingDateTime, daysBetween, weekdayZh } from '../domain/plain-date.ts';
import { urgencyZh } from '../domain/reminders.ts';
import { EMERGENCY_CENTRES, needsFigures, STATIONED_ROLES, type Submission } from '../domain/submission.ts';
import { obligationState } from '../domain/timeline.ts';
import { ACCEPTED_TYPES, type SubmissionHistoryRow, type UploadPageView } from '../domain/upload.ts';
import { dateZh, formatSize } from '../domain/wording.ts';
import { pagePath, resolveLink, type UploadPorts } from './personal-links.ts';

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
