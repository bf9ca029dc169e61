/** The text `bangfu` prints for each command's result (its --json output is the result itself). */
import chainWords from '../../../templates/chain-status.zh.json' with { type: 'json' };
import labels from '../../../templates/labels.zh.json' with { type: 'json' };
import pdfLabels from '../../../templates/pdf/labels.zh.json' with { type: 'json' };
import stateWords from '../../../templates/states.zh.json' with { type: 'json' };
import type { PairingTally } from '../../domain/chain-status.ts';
import { OBLIGATION_STATES, type ObligationState } from '../../domain/model.ts';
import { beijingDateTime, weekdayZh } from '../../domain/plain-date.ts';
import { fill } from '../../domain/wording.ts';
import type { SeedLoadResult } from '../../use-cases/load-seeds.ts';
import type { SyncCounts } from '../../use-cases/ports.ts';
import type {
  DirectSummary,
  ForwardingSummary,
  ObligationStatus,
  ProgrammeStatus,
} from '../../use-cases/programme-status.ts';
import type { DailyTickResult } from '../../use-cases/run-tick.ts';
import type { DemoSummary } from '../demo/summary.ts';
import type { StaffAccount } from '../oidc-provider.ts';

export function formatTick(r: DailyTickResult): string {
  const lines = [
    `Tick ${r.day} (${weekdayZh(r.day)}): ${r.due} obligation(s) due a reminder; ${r.messages.length} message(s) sent, ${r.alreadySent} address(es) already done`,
    // The city commissions' own deliverables: their messages are listed with the others, by forwarding id.
    ...(r.forwardings.due > 0
      ? [
          `  city commissions: ${r.forwardings.due} deliverable(s) due a reminder; ${r.forwardings.messages} message(s) sent`,
        ]
      : []),
    ...r.messages.map(
      (m) =>
        `  sent ${m.stage.padEnd(8)} ${m.obligationId}  to ${m.to.join(', ')}${m.cc.length ? `  cc ${m.cc.join(', ')}` : ''}`,
    ),
    ...r.rejected.map((x) => `  REJECTED ${x.email} (${x.obligationId} ${x.stage}): ${x.reason}`),
    ...r.suppressed.map((x) => `  skipped ${x.email}, rejected earlier: ${x.reason}`),
    ...r.noContacts.map((x) => `  no coordinator on the roster for ${x.institution} (${x.obligationId})`),
    ...r.failed.map((x) => `  FAILED ${x.obligationId} ${x.stage}: ${x.error}`),
    ...r.unconfirmed.map(
      (x) =>
        `  UNCONFIRMED ${x.email} (${x.obligationId} ${x.stage}): handed to SES by a run that died; check the SES log`,
    ),
    ...r.published.documents.map((d) => `  document ${d.title} (${d.id})`),
    ...r.published.messages.map(
      (m) =>
        `  sent ${m.kind} ${m.trace} to ${m.to.join(', ')}${m.cc.length ? `  cc ${m.cc.join(', ')}` : ''}`,
    ),
    ...r.published.suppressed.map(
      (x) => `  skipped ${x.email} (${x.kind} ${x.trace}), rejected earlier: ${x.reason}`,
    ),
    ...r.published.failed.map((e) => `  FAILED staff mail: ${e}`),
    // Bounce and complaint notices held over the days off (their failures are listed above).
    ...(r.deliveryNotices.due + r.deliveryNotices.pending > 0
      ? [
          `  bounce/complaint notices held over the days off: ${r.deliveryNotices.due} due, ${r.deliveryNotices.notices} message(s) sent, ${r.deliveryNotices.pending} still held${r.deliveryNotices.noRecipients.length ? `, ${r.deliveryNotices.noRecipients.length} with nobody to send to` : ''}`,
        ]
      : []),
    ...r.published.unconfirmed.map(
      (x) =>
        `  UNCONFIRMED ${x.email} (${x.kind} ${x.trace}): handed to SES by a run that died; check the SES log`,
    ),
  ];
  return lines.join('\n');
}

export function formatCounts(c: SyncCounts): string {
  return `${c.created} new, ${c.updated} changed, ${c.unchanged} unchanged`;
}

export function formatSeedResult(result: SeedLoadResult): string {
  return [
    ...(result.layout.itemsReplaced > 0
      ? [`Upgraded: ${result.layout.itemsReplaced} items of an earlier layout rewritten`]
      : []),
    `Institutions: ${formatCounts(result.institutions)}`,
    ...result.programmes.map(
      (p) =>
        `Programme ${p.id}: pairings ${formatCounts(p.pairings)}; obligations ${formatCounts(p.obligations)}`,
    ),
  ].join('\n');
}

/** An obligation state in words, from `templates/states.zh.json`: one entry per state, checked here. */
const STATE_ZH: Record<ObligationState, string> = stateWords.cli;

/**
 * The obligations, then (given the chain) the second level: each city commission's forwarding with
 * how far its pairings have got, and the pairings that report to the province directly.
 */
export function formatStatus(
  programme: string,
  at: Date,
  rows: ObligationStatus[],
  chain?: Pick<ProgrammeStatus, 'forwardings' | 'direct'>,
): string {
  const counts = OBLIGATION_STATES.map((s) => [s, rows.filter((r) => r.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const lines = rows.map((r) => {
    const supporters = r.supporters
      .map((s) => (s === r.lead ? fill(labels.leadMark, { name: s }) : s))
      .join(labels.listSeparator);
    return [
      `${r.effectiveDueDate} ${weekdayZh(r.effectiveDueDate)}`,
      r.state.padEnd(9),
      STATE_ZH[r.state],
      `${r.kindTitle} ${r.year}`,
      `${r.recipient} ← ${supporters}`,
    ].join('  ');
  });
  return [
    `${programme} as of ${beijingDateTime(at)} Beijing time: ${rows.length} obligations (${counts})`,
    ...lines,
    ...(chain ? chainLines(chain) : []),
  ].join('\n');
}

function chainLines({ forwardings, direct }: Pick<ProgrammeStatus, 'forwardings' | 'direct'>): string[] {
  const counts = OBLIGATION_STATES.map((s) => [s, forwardings.filter((f) => f.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return [
    '',
    `City commissions' forwardings: ${forwardings.length}${counts ? ` (${counts})` : ''}`,
    ...forwardings.map(forwardingLine),
    `Direct to the province: ${direct.reduce((n, d) => n + d.tally.pairings, 0)} pairing deliverables`,
    ...direct.map(directLine),
  ];
}

function forwardingLine(f: ForwardingSummary): string {
  const notes = [
    tallyText(f.tally),
    `${pdfLabels.chain.columns.pairingDue} ${f.pairingDueDates.join(labels.listSeparator)}`,
    ...(f.forwardedAt
      ? [fill(chainWords.cli.forwardedAt, { time: beijingDateTime(new Date(f.forwardedAt)) })]
      : []),
    ...(f.returnedReason ? [fill(pdfLabels.chain.returnedReason, { reason: f.returnedReason })] : []),
  ];
  return [
    `${f.effectiveDueDate} ${weekdayZh(f.effectiveDueDate)}`,
    f.state.padEnd(9),
    STATE_ZH[f.state],
    `${f.title} ${f.year}`,
    f.commission,
    notes.join('；'),
  ].join('  ');
}

function directLine(d: DirectSummary): string {
  const due = d.pairingDueDates.at(-1) ?? '';
  return [
    `${d.pairingDueDates.join(labels.listSeparator)} ${due ? weekdayZh(due) : ''}`.trim(),
    `${d.forwardsTitle} ${d.year}`,
    pdfLabels.chain.direct,
    tallyText(d.tally),
  ].join('  ');
}

function tallyText(t: PairingTally): string {
  return (
    fill(chainWords.cli.tally, { ...t }) +
    (t.exempt > 0 ? fill(chainWords.cli.exempt, { exempt: t.exempt }) : '')
  );
}

/** The local demo staff accounts, one a line: email, password, role and who the account stands for. */
export function formatStaffAccounts(accounts: readonly StaffAccount[]): string {
  const width = Math.max(0, ...accounts.map((a) => a.email.length));
  return accounts
    .map((a) => `  ${a.email.padEnd(width)}  ${a.password}  ${a.role.padEnd(8)}  ${a.name}`)
    .join('\n');
}

/** A plain-text table: a header row, then the rows, columns padded to their widest cell. */
function table(header: string[], rows: (string | number)[][]): string[] {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
}

/** The end of `bangfu demo`: what the replay sent, received and wrote. */
export function formatDemo(s: DemoSummary): string {
  const levels = [...new Set(s.emails.map((e) => e.level))];
  const stages = [...new Set(s.emails.map((e) => e.stage))].sort();
  const countOf = (level: string, stage: string) =>
    s.emails.find((e) => e.level === level && e.stage === stage)?.count ?? 0;
  return [
    `Demo replay ${s.from} to ${s.to} (${s.days} days, seed ${s.seed}), ending ${beijingDateTime(new Date(s.at))} Beijing time` +
      (s.elapsedSeconds !== undefined ? `; took ${s.elapsedSeconds} s` : ''),
    '',
    `Emails by stage and level (${s.emailTotal} in all):`,
    ...table(
      ['stage', ...levels],
      stages.map((stage) => [stage, ...levels.map((level) => countOf(level, stage))]),
    ),
    '',
    'Submissions:',
    ...table(
      [
        'programme',
        'deliverable',
        STATE_ZH.submitted,
        STATE_ZH.late,
        `missing (${STATE_ZH.overdue})`,
        STATE_ZH.exempt,
        `pending (${STATE_ZH.upcoming}/${STATE_ZH.open})`,
        'total',
      ],
      s.submissions.map((r) => [
        r.programmeId,
        r.kind,
        r.onTime,
        r.late,
        r.missing,
        r.exempt,
        r.pending,
        r.total,
      ]),
    ),
    '',
    `Returns (${STATE_ZH.returned}): ${s.returns.returned} obligation(s) returned, ${s.returns.resubmitted} resubmitted since, ${s.returns.notices} notice(s) sent`,
    `Bad files: ${s.badFiles.rejected} upload(s) rejected by the check, ${s.badFiles.thenSubmitted} obligation(s) then submitted with a good file`,
    `Uploads: ${s.uploads.uploads} through the upload page (${s.uploads.accepted} accepted, ${s.uploads.rejected} rejected, ${s.uploads.refused} refused); ${s.uploads.staffRefused} staff action(s) refused`,
    '',
    "City commissions' forwarding:",
    ...table(
      ['programme', 'city commission', 'on time', 'late', 'not forwarded', 'returned', STATE_ZH.accepted],
      s.forwarding.map((f) => [
        f.programmeId,
        f.commission,
        f.onTime,
        f.late,
        f.notForwarded,
        f.returned,
        f.accepted,
      ]),
    ),
    '',
    `Documents: ${s.documents.total} (${Object.entries(s.documents.byType)
      .map(([type, n]) => `${type} ${n}`)
      .join(', ')}) in ${s.documents.folder}`,
  ].join('\n');
}
