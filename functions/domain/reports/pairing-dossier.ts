/** Document 3, the pairing dossier: one pairing's obligations, submissions, reminders and audit log. */
import { mergedAuditLog } from '../audit.ts';
import type { ObligationState, PlainDate, TaskLevel } from '../model.ts';
import { ANNUAL_REPORT_KIND } from '../model.ts';
import { partyResolver } from '../parties.ts';
import type { StaffRole } from '../staff.ts';
import type { AuditEntry } from '../staff-actions.ts';
import type { Submission } from '../submission.ts';
import { type TargetVerdict, targetVerdicts } from '../targets.ts';
import { obligationState } from '../timeline.ts';
import {
  bySubmissionOrder,
  heading,
  isSubmitted,
  type PairingParties,
  placeName,
  type ReportHeading,
  type ReportSnapshot,
  type ReportState,
  reportState,
  type SentReminder,
  SnapshotIndex,
} from './snapshot.ts';

export interface DossierObligation {
  id: string;
  kind: string;
  title: string;
  year: number;
  opensOn: PlainDate;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  state: ReportState;
  /** The timeline's own state (open, returned, accepted …) for the detail column. */
  timelineState: ObligationState;
  submittedAt?: string;
  review?: { outcome: 'accepted' | 'returned'; at: string; reason?: string };
  exemptedAt?: string;
}

export interface DossierSubmission {
  /** The upload's id, unique within the pairing: what a download of this version names. */
  id: string;
  obligationId: string;
  title: string;
  year: number;
  version: number;
  receivedAt: string;
  filename: string;
  size: number;
  sha256: string;
  submittedBy: string;
  hasFigures: boolean;
}

export interface DossierRecipient {
  institution: string;
  email: string;
  field: 'to' | 'cc';
  status: SentReminder['status'];
  /** When the provider accepted it, where recorded. */
  sentAt?: string;
  reason?: string;
}

/** One send: a stage of an obligation's reminder, on a day, to its addresses. */
export interface DossierReminder {
  obligationId: string;
  title: string;
  year: number;
  stage: string;
  day: PlainDate;
  recipients: DossierRecipient[];
}

export interface DossierTargets {
  year: number;
  figuresSubmitted: boolean;
  verdicts: TargetVerdict[];
}

/** One entry of the pairing's audit log: who did what, when and why. */
export interface DossierAuditEntry {
  at: string;
  actor: { name: string; commission: string; role: StaffRole };
  action: AuditEntry['action'];
  /** The obligation acted on; absent when the action concerns the whole pairing. */
  obligation?: { title: string; year: number };
  /** An extension's new due date. */
  extendedTo?: PlainDate;
  /** How many upload links a revocation stopped. */
  links?: number;
  reason?: string;
}

export interface PairingDossierView extends ReportHeading {
  pairing: PairingParties & {
    /** 福建省南平市松溪县 */
    recipientPlace: string;
    countyGovernment?: string;
    responsibleCommissions: string[];
    /** Where the plan lists it: 附件1 序号1（国家级任务）. */
    sources: { annex: string; seq?: number; taskLevel?: TaskLevel }[];
  };
  obligations: DossierObligation[];
  submissions: DossierSubmission[];
  reminders: DossierReminder[];
  /** The target check of each year whose annual report is in. */
  targets: DossierTargets[];
  /** What staff did to the pairing and its obligations up to the instant, oldest first. */
  audit: DossierAuditEntry[];
}

export function pairingDossierView(snapshot: ReportSnapshot, pairingId: string): PairingDossierView {
  const index = new SnapshotIndex(snapshot);
  const pairing = index.pairing(pairingId);
  if (!pairing) throw new RangeError(`no pairing ${pairingId} in programme ${snapshot.programme.id}`);
  const { programme, at } = snapshot;
  const parties = partyResolver(programme, pairing, index.directory);
  const titleOf = (kind: string) => programme.obligationKinds.find((k) => k.kind === kind)?.title ?? kind;
  /** A submission's version: its own, or its place among the obligation's uploads. */
  const versionOf = (s: Submission) =>
    s.version ?? index.submissionsOf(s.obligationId).findIndex((x) => x.id === s.id) + 1;

  const obligations = snapshot.obligations
    .filter(({ obligation }) => obligation.pairingId === pairingId)
    .map(({ obligation, record }) => {
      const asOf = index.recordAsOf(obligation, record);
      return {
        id: obligation.id,
        kind: obligation.kind,
        title: titleOf(obligation.kind),
        year: obligation.year,
        opensOn: obligation.opensOn,
        dueDate: obligation.dueDate,
        effectiveDueDate: obligation.effectiveDueDate,
        state: reportState(obligation, asOf, at),
        timelineState: obligationState(obligation, asOf, at),
        ...(asOf.submittedAt ? { submittedAt: asOf.submittedAt } : {}),
        ...(asOf.review ? { review: asOf.review } : {}),
        ...(asOf.exemptedAt ? { exemptedAt: asOf.exemptedAt } : {}),
      } satisfies DossierObligation;
    })
    .sort((a, b) => a.effectiveDueDate.localeCompare(b.effectiveDueDate) || a.kind.localeCompare(b.kind));

  const submissions = snapshot.submissions
    .filter((s) => s.pairingId === pairingId && new Date(s.receivedAt) <= at)
    .sort(bySubmissionOrder)
    .map((s) => ({
      id: s.id,
      obligationId: s.obligationId,
      title: titleOf(s.kind),
      year: s.year,
      version: versionOf(s),
      receivedAt: s.receivedAt,
      filename: s.filename,
      size: s.size,
      sha256: s.sha256,
      submittedBy: index.nameOf(s.institutionId),
      hasFigures: s.figures !== undefined,
    }));

  const sends = new Map<string, DossierReminder>();
  const reminders = snapshot.reminders
    .filter((r) => r.pairingId === pairingId && new Date(r.sentAt ?? r.claimedAt) <= at)
    .sort(
      (a, b) =>
        a.day.localeCompare(b.day) ||
        a.obligationId.localeCompare(b.obligationId) ||
        a.stage.localeCompare(b.stage) ||
        a.field.localeCompare(b.field) ||
        a.email.localeCompare(b.email),
    );
  for (const r of reminders) {
    const key = `${r.day}#${r.obligationId}#${r.stage}`;
    const send = sends.get(key) ?? {
      obligationId: r.obligationId,
      title: titleOf(r.kind),
      year: r.year,
      stage: r.stage,
      day: r.day,
      recipients: [],
    };
    send.recipients.push({
      institution: index.nameOf(r.institutionId),
      email: r.email,
      field: r.field,
      status: r.status,
      ...(r.sentAt ? { sentAt: r.sentAt } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    });
    sends.set(key, send);
  }

  const targets = obligations
    .filter((o) => o.kind === ANNUAL_REPORT_KIND && isSubmitted(o.state))
    .map((o) => {
      const figures = index.figuresOf(o);
      return {
        year: o.year,
        figuresSubmitted: figures !== undefined,
        verdicts: targetVerdicts(programme.targets, pairing.category, o.year, figures, programme),
      };
    })
    .filter((t) => t.verdicts.length > 0);

  const audit = mergedAuditLog(snapshot.audit ?? [])
    .filter((e) => e.pairingId === pairingId && new Date(e.at) <= at)
    .map((e): DossierAuditEntry => {
      const obligation = snapshot.obligations.find((o) => o.obligation.id === e.obligationId)?.obligation;
      const extendedTo = e.action === 'extend' ? e.after?.extendedTo : undefined;
      const links = e.action === 'links-revoked' ? e.after?.links : undefined;
      return {
        at: e.at,
        actor: { name: e.actor.name, commission: index.nameOf(e.actor.commissionId), role: e.actor.role },
        action: e.action,
        ...(obligation ? { obligation: { title: titleOf(obligation.kind), year: obligation.year } } : {}),
        ...(typeof extendedTo === 'string' ? { extendedTo } : {}),
        ...(Array.isArray(links) ? { links: links.length } : {}),
        ...(e.reason ? { reason: e.reason } : {}),
      };
    });

  return {
    ...heading(snapshot),
    pairing: {
      ...index.parties(pairing),
      recipientPlace: placeName(index.institution(pairing.recipientId)),
      ...optional('countyGovernment', parties.institutions('county-government')[0]?.name),
      responsibleCommissions: parties.institutions('responsible-city-commission').map((i) => i.name),
      sources: pairing.sources.map((s) => ({
        annex: s.annex,
        ...(s.seq !== undefined ? { seq: s.seq } : {}),
        ...(s.taskLevel ? { taskLevel: s.taskLevel } : {}),
      })),
    },
    obligations,
    submissions,
    reminders: [...sends.values()],
    targets,
    audit,
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
