/**
 * Document 3: one pairing's whole history: parties, obligations, submissions, reminders, targets and,
 * where staff acted on it, the audit log.
 */
import staffLabels from '../../../templates/staff-actions.zh.json' with { type: 'json' };
import type {
  DossierAuditEntry,
  DossierObligation,
  DossierRecipient,
  PairingDossierView,
} from '../../domain/reports/pairing-dossier.ts';
import { COLOURS, PdfLayout, type TableRow } from './layout.ts';
import { stateCell } from './state-table.ts';
import {
  categoryLabels,
  dateZh,
  fill,
  instantShort,
  instantZh,
  labels,
  stageText,
  taskLevelLabels,
  taskLevelsText,
} from './wording.ts';

export async function renderPairingDossier(view: PairingDossierView): Promise<Buffer> {
  const words = labels.dossier;
  const { pairing } = view;
  const at = instantZh(view.at);
  const title = `${pairing.recipient}${words.title}`;
  const layout = new PdfLayout({
    title,
    subject: fill(words.subject, { recipient: pairing.recipient, at }),
    keywords: pairing.pairingId,
    generatedAt: new Date(view.generatedAt),
    runningHead: view.programme.shortName,
    footerNote: pairing.pairingId,
  });
  const none = labels.common.none;
  const list = (items: readonly string[]) => items.join(labels.common.listSeparator) || none;

  layout.titleBlock(view.programme.name, [
    [labels.common.programme, `${view.programme.name}（${view.programme.id}）`],
    [labels.common.asOf, at],
    [labels.common.generated, instantZh(view.generatedAt)],
  ]);

  // 一、parties
  const p = words.parties;
  layout.heading(words.partiesHeading);
  layout.facts([
    [p.recipient, pairing.recipient],
    [p.place, pairing.recipientPlace],
    [p.lead, pairing.lead],
    [p.others, list(pairing.otherSupporters)],
    [p.countyGovernment, pairing.countyGovernment ?? none],
    [p.commissions, list(pairing.responsibleCommissions)],
    [p.category, categoryLabels[pairing.category] ?? pairing.category],
    [
      p.levels,
      pairing.taskLevels.map((l) => taskLevelLabels[l] ?? l).join(labels.common.listSeparator) || none,
    ],
    [
      p.sources,
      list(
        pairing.sources.map(
          (s) =>
            fill(words.source, {
              annex: s.annex,
              seq: s.seq === undefined ? '' : fill(words.sourceSeq, { seq: s.seq }),
            }) + (s.taskLevel ? `（${taskLevelsText([s.taskLevel])}）` : ''),
        ),
      ),
    ],
    [p.pairingId, pairing.pairingId],
  ]);

  // 二、obligations
  const oc = words.obligationColumns;
  layout.table(
    [
      { header: oc.title, width: 24 },
      { header: oc.year, width: 8, align: 'center' },
      { header: oc.opens, width: 13 },
      { header: oc.due, width: 13 },
      { header: oc.state, width: 11 },
      { header: oc.detail, width: 31 },
    ],
    view.obligations.map(
      (o): TableRow => ({
        kind: 'row',
        cells: [
          o.title,
          String(o.year),
          o.opensOn,
          o.effectiveDueDate,
          stateCell(o.state),
          obligationDetail(o),
        ],
      }),
    ),
    { heading: words.obligationsHeading },
  );

  // 三、submissions
  const sc = words.submissionColumns;
  if (view.submissions.length === 0) {
    layout.heading(words.submissionsHeading);
    layout.paragraph(words.noSubmissions, { color: COLOURS.muted });
  } else {
    layout.table(
      [
        { header: sc.receivedAt, width: 17 },
        { header: sc.title, width: 25 },
        { header: sc.version, width: 8, align: 'center' },
        { header: sc.filename, width: 28 },
        { header: sc.submittedBy, width: 22 },
      ],
      view.submissions.map(
        (s): TableRow => ({
          kind: 'row',
          cells: [
            instantShort(s.receivedAt),
            `${s.title}（${s.year}）`,
            fill(words.version, { n: s.version }),
            [
              s.filename,
              fill(words.size, { kb: Math.max(1, Math.round(s.size / 1024)) }),
              ...(s.hasFigures ? [words.withFigures] : []),
            ].join('　'),
            s.submittedBy,
          ],
        }),
      ),
      { heading: words.submissionsHeading },
    );
  }

  // 四、reminders
  const rc = words.reminderColumns;
  if (view.reminders.length === 0) {
    layout.heading(words.remindersHeading);
    layout.paragraph(words.noReminders, { color: COLOURS.muted });
  } else {
    layout.table(
      [
        { header: rc.day, width: 12 },
        { header: rc.title, width: 18 },
        { header: rc.stage, width: 11 },
        { header: rc.recipients, width: 59 },
      ],
      view.reminders.map(
        (r): TableRow => ({
          kind: 'row',
          cells: [
            r.day,
            `${r.title}（${r.year}）`,
            stageText(r.stage),
            r.recipients.map(recipientLine).join('\n'),
          ],
        }),
      ),
      { fontSize: 8, heading: words.remindersHeading },
    );
  }

  // 五、targets
  const tc = words.targetColumns;
  if (view.targets.length === 0) {
    layout.heading(words.targetsHeading);
    layout.paragraph(words.noTargets, { color: COLOURS.muted });
  }
  view.targets.forEach((year, i) => {
    // The section heading stays with the first year's table.
    if (i === 0) layout.heading(words.targetsHeading, { keepWith: 120 });
    layout.table(
      [
        { header: tc.citation, width: 11 },
        { header: tc.text, width: 33 },
        { header: tc.result, width: 8, align: 'center' },
        { header: tc.actual, width: 18 },
        { header: tc.gap, width: 30 },
      ],
      year.verdicts.map(
        (v): TableRow => ({
          kind: 'row',
          cells: [
            v.citation,
            v.text,
            v.outcome === 'progress'
              ? { text: words.progress, color: COLOURS.muted }
              : v.met
                ? { text: words.met, color: COLOURS.onTime }
                : { text: words.unmet, color: COLOURS.missing, bold: true },
            v.actual ?? none,
            v.gap ?? none,
          ],
        }),
      ),
      { heading: fill(words.targetsYear, { year: year.year }), headingSize: 10.5 },
    );
  });

  // 六、audit log: only where staff acted, so a dossier without actions reads as it always has.
  const ac = words.auditColumns;
  if (view.audit.length > 0) {
    layout.table(
      [
        { header: ac.at, width: 17 },
        { header: ac.actor, width: 31 },
        { header: ac.action, width: 26 },
        { header: ac.reason, width: 26 },
      ],
      view.audit.map(
        (a): TableRow => ({
          kind: 'row',
          cells: [
            instantShort(a.at),
            fill(words.auditActor, {
              name: a.actor.name,
              commission: a.actor.commission,
              role: staffLabels.roles[a.actor.role],
            }),
            auditAction(a),
            a.reason ?? none,
          ],
        }),
      ),
      { heading: words.auditHeading },
    );
  }

  return layout.finish();
}

/** 延期 / 年度对口帮扶成效评估报告（2023） / 延期至2023年12月20日 */
function auditAction(a: DossierAuditEntry): string {
  const words = labels.dossier;
  const lines = [staffLabels.actions[a.action]];
  if (a.obligation) lines.push(`${a.obligation.title}（${a.obligation.year}）`);
  else if (a.action === 'links-revoked') lines.push(words.auditWholePairing);
  if (a.extendedTo) lines.push(fill(words.auditExtendedTo, { date: dateZh(a.extendedTo) }));
  if (a.links !== undefined) lines.push(fill(words.auditLinks, { n: a.links }));
  return lines.join('\n');
}

function obligationDetail(o: DossierObligation): string {
  const words = labels.dossier;
  const lines: string[] = [labels.timelineStates[o.timelineState]];
  if (o.effectiveDueDate !== o.dueDate)
    lines.push(fill(words.extended, { date: dateZh(o.effectiveDueDate) }));
  if (o.submittedAt) lines.push(fill(words.submittedAt, { time: instantShort(o.submittedAt) }));
  if (o.review) {
    lines.push(
      fill(words.review[o.review.outcome], {
        time: instantShort(o.review.at),
        reason: o.review.reason ?? '',
      }),
    );
  }
  if (o.exemptedAt) lines.push(fill(words.exemptedAt, { time: instantShort(o.exemptedAt) }));
  return lines.join('\n');
}

function recipientLine(r: DossierRecipient): string {
  const words = labels.dossier;
  return fill(words.recipientLine, {
    field: words.field[r.field],
    institution: r.institution,
    email: r.email,
    status: fill(words.reminderStatus[r.status], { reason: r.reason ?? '' }),
  });
}
