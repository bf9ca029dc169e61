/** The submission-state pieces shared by the agreement status and the annual summary. */

import type { PlainDate } from '../../domain/model.ts';
import {
  REPORT_STATES,
  type ReportState,
  type StateCounts,
  stateRates,
} from '../../domain/reports/snapshot.ts';
import type { BarSeries } from './bar-chart.ts';
import { COLOURS, type TableCell, type TableColumn, type TableRow } from './layout.ts';
import { fill, labels } from './wording.ts';

export const STATE_COLOURS: Record<ReportState, string> = {
  'on-time': COLOURS.onTime,
  late: COLOURS.late,
  missing: COLOURS.missing,
  pending: COLOURS.pending,
  exempt: COLOURS.exempt,
};

export function stateCell(state: ReportState): TableCell {
  return { text: labels.states[state], color: STATE_COLOURS[state], bold: state === 'missing' };
}

/**
 * A row's recipient; where staff extended the due date, the date in force under the name (the row's
 * state is judged against it), so a reader sees why a submission after the plan's date counts as on time.
 */
export function recipientCell(row: {
  recipient: string;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
}): string {
  if (row.effectiveDueDate === row.dueDate) return row.recipient;
  const [, month, day] = row.effectiveDueDate.split('-').map(Number) as [number, number, number];
  return `${row.recipient}\n${fill(labels.common.extendedShort, { month, day })}`;
}

export function stateCountColumns(): TableColumn[] {
  return [
    { header: labels.stateCounts.city, width: 20 },
    { header: labels.stateCounts.total, width: 9, align: 'right' },
    ...REPORT_STATES.map((s): TableColumn => ({ header: labels.states[s], width: 10, align: 'right' })),
    { header: labels.stateCounts.completeness, width: 10, align: 'right' },
    { header: labels.stateCounts.timeliness, width: 10, align: 'right' },
  ];
}

/** A city's (or the total's) counts with its completeness and timeliness (`stateRates`). */
export function stateCountRow(label: string, counts: StateCounts, isTotal = false): TableRow {
  const rates = stateRates(counts);
  const percent = (share: number | undefined) =>
    share === undefined ? labels.common.none : `${share.toFixed(1)}%`;
  return {
    kind: 'row',
    bold: isTotal,
    ...(isTotal ? { fill: COLOURS.totalFill } : {}),
    cells: [
      label,
      String(counts.total),
      ...REPORT_STATES.map((s) => String(counts[s])),
      percent(rates.completeness),
      percent(rates.timeliness),
    ],
  };
}

/** The states that occur anywhere in the report, as chart series. */
export function stateSeries(totals: StateCounts): BarSeries[] {
  return REPORT_STATES.filter((s) => totals[s] > 0).map((s) => ({
    label: labels.states[s],
    color: STATE_COLOURS[s],
  }));
}

export function stateValues(counts: StateCounts, totals: StateCounts): number[] {
  return REPORT_STATES.filter((s) => totals[s] > 0).map((s) => counts[s]);
}

export function summaryValues(counts: StateCounts): Record<string, number> {
  return {
    total: counts.total,
    onTime: counts['on-time'],
    late: counts.late,
    missing: counts.missing,
    pending: counts.pending,
    exempt: counts.exempt,
  };
}
