/**
 * The reporting chain's section of the agreement status and the annual summary: a row per city
 * commission (its pairings, accepted, awaiting review, outstanding, the hospitals' and its own date,
 * when it forwarded, its state) and the direct pairings as their own row.
 */
import type { ForwardingReportState, ForwardingSection } from '../../domain/reports/forwardings.ts';
import { COLOURS, type PdfLayout, type TableCell, type TableRow } from './layout.ts';
import { fill, labels } from './wording.ts';

const STATE_COLOURS: Record<ForwardingReportState, string> = {
  'on-time': COLOURS.onTime,
  late: COLOURS.late,
  'not-forwarded': COLOURS.pending,
  returned: COLOURS.late,
  overdue: COLOURS.missing,
  exempt: COLOURS.exempt,
};

/** 2022-02-21 → 2月21日: the year is the document's. */
export function monthDay(date: string): string {
  const [, month, day] = date.split('-').map(Number) as [number, number, number];
  return fill(labels.chain.monthDay, { month, day });
}

function datesText(dates: readonly string[]): string {
  return dates.map(monthDay).join(labels.common.listSeparator) || labels.common.none;
}

function stateCell(state: ForwardingReportState): TableCell {
  return { text: labels.chain.states[state], color: STATE_COLOURS[state], bold: state === 'overdue' };
}

/** The section, numbered `number` (三、…); nothing when the programme has no city step. */
export function drawForwardingSection(
  layout: PdfLayout,
  number: string,
  section: ForwardingSection,
  at: string,
): void {
  if (section.rows.length === 0 && !section.direct) return;
  const words = labels.chain;
  const { counts } = section;
  layout.heading(`${number}${words.heading}`);
  layout.paragraph(
    fill(words.summary, {
      due: datesText(section.dueDates),
      at,
      total: counts.total,
      onTime: counts['on-time'],
      late: counts.late,
      returned: counts.returned,
      overdue: counts.overdue,
      notForwarded: counts['not-forwarded'],
    }),
  );
  const c = words.columns;
  const rows: TableRow[] = section.rows.flatMap((row): TableRow[] => [
    {
      kind: 'row',
      cells: [
        row.commission,
        String(row.pairings),
        String(row.accepted),
        String(row.awaitingReview),
        { text: String(row.outstanding), color: row.outstanding ? COLOURS.missing : undefined },
        datesText(row.pairingDueDates),
        monthDay(row.effectiveDueDate),
        row.forwardedOn ? monthDay(row.forwardedOn) : labels.common.none,
        stateCell(row.state),
      ],
    },
    ...(row.returnedReason
      ? [
          {
            kind: 'note',
            text: fill(words.returnedReason, { reason: row.returnedReason }),
            color: COLOURS.late,
          } as TableRow,
        ]
      : []),
  ]);
  if (section.direct) {
    const direct = section.direct;
    rows.push({
      kind: 'row',
      cells: [
        words.direct,
        String(direct.pairings),
        String(direct.accepted),
        String(direct.awaitingReview),
        { text: String(direct.outstanding), color: direct.outstanding ? COLOURS.missing : undefined },
        datesText(direct.pairingDueDates),
        labels.common.none,
        labels.common.none,
        labels.common.none,
      ],
    });
  }
  layout.table(
    [
      { header: c.collector, width: 24 },
      { header: c.pairings, width: 8, align: 'right' },
      { header: c.accepted, width: 11, align: 'right' },
      { header: c.awaitingReview, width: 8, align: 'right' },
      { header: c.outstanding, width: 8, align: 'right' },
      { header: c.pairingDue, width: 10 },
      { header: c.forwardingDue, width: 10 },
      { header: c.forwardedOn, width: 10 },
      { header: c.state, width: 11 },
    ],
    rows,
    { fontSize: 8 },
  );
}
