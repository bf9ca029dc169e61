/**
 * The upload page: what a hospital sees when it opens the personal link from a reminder. The obligation
 * and its state, the files accepted, the versions submitted so far, and for the annual report the form
 * for the year's figures.
 */
import figureWords from '../../templates/annual-figures.zh.json' with { type: 'json' };
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import states from '../../templates/states.zh.json' with { type: 'json' };
import type { ObligationState } from '../domain/model.ts';
import { beijingDate, beijingDateTime, daysBetween, weekdayZh } from '../domain/plain-date.ts';
import { urgencyZh } from '../domain/reminders.ts';
import {
  CENTRE_STATUSES,
  EMERGENCY_CENTRES,
  needsFigures,
  STATIONED_ROLES,
  type Submission,
} from '../domain/submission.ts';
import { obligationState } from '../domain/timeline.ts';
import { ACCEPTED_TYPES, type SubmissionHistoryRow, type UploadPageView } from '../domain/upload.ts';
import { dateZh, formatSize } from '../domain/wording.ts';
import { pagePath, resolveLink, type UploadPorts } from './personal-links.ts';

/** The page speaks to the uploader, the digest (publish-documents.ts) to staff: each has its own words. */
const STATE_ZH: Record<ObligationState, string> = states.uploadPage;

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
            centreStatuses: CENTRE_STATUSES.map((value) => ({
              value,
              label: figureWords.centreStatusLabels[value],
            })),
            roles: STATIONED_ROLES.map((value) => ({ value, label: figureWords.roleLabels[value] })),
          },
        }
      : {}),
  };
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
