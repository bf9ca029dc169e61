/** Document 2: the annual summary of a programme and year: reports in, and the targets checked. */
import type { AnnualRow, AnnualSummaryView, TargetCounts } from '../../domain/reports/annual-summary.ts';
import { drawStackedBarChart } from './bar-chart.ts';
import { drawForwardingSection } from './forwarding-table.ts';
import { COLOURS, PdfLayout, type TableColumn, type TableRow } from './layout.ts';
import {
  recipientCell,
  stateCell,
  stateCountColumns,
  stateCountRow,
  stateSeries,
  stateValues,
  summaryValues,
} from './state-table.ts';
import { dateZh, fill, instantZh, labels } from './wording.ts';

export async function renderAnnualSummary(view: AnnualSummaryView): Promise<Buffer> {
  const words = labels.annual;
  const at = instantZh(view.at);
  const title = fill(words.title, { year: view.year });
  const layout = new PdfLayout({
    title,
    subject: fill(words.subject, { programme: view.programme.name, year: view.year, at }),
    keywords: `${view.programme.id} ${view.year}`,
    generatedAt: new Date(view.generatedAt),
    runningHead: view.programme.shortName,
  });
  const due = view.dueDates.map(dateZh).join(labels.common.listSeparator) || labels.common.none;

  layout.titleBlock(view.programme.name, [
    [labels.common.programme, `${view.programme.name}（${view.programme.id}）`],
    [words.year, String(view.year)],
    [labels.common.dueDate, due],
    [labels.common.asOf, at],
    [labels.common.pairingCount, fill(labels.common.pairingCountValue, { n: view.totals.total })],
    [labels.common.generated, instantZh(view.generatedAt)],
  ]);

  // 一、reports in
  layout.heading(words.reportsHeading);
  layout.paragraph(fill(words.reportsSummary, { year: view.year, due, at, ...summaryValues(view.totals) }));
  layout.table(stateCountColumns(), [
    ...view.cities.map((city) => stateCountRow(city.city, city.counts)),
    stateCountRow(labels.common.total, view.totals, true),
  ]);
  drawStackedBarChart(layout, {
    title: words.reportsChart,
    categories: view.cities.map((c) => c.city),
    series: stateSeries(view.totals),
    values: view.cities.map((c) => stateValues(c.counts, view.totals)),
  });

  // 二、targets
  layout.heading(words.targetsHeading);
  layout.paragraph(fill(words.targetsSummary, { ...view.targetTotals }));
  const tc = words.targetColumns;
  layout.table(
    [
      { header: tc.citation, width: 11 },
      { header: tc.text, width: 59 },
      { header: tc.met, width: 10, align: 'right' },
      { header: tc.unmet, width: 10, align: 'right' },
      { header: tc.progress, width: 10, align: 'right' },
    ],
    view.perTarget.map((t) => ({
      kind: 'row',
      cells: [
        t.citation,
        t.text,
        String(t.met),
        { text: String(t.unmet), color: t.unmet ? COLOURS.missing : undefined },
        String(t.progress),
      ],
    })),
  );
  if (view.programmeTargets.length > 0) {
    const pc = words.programmeTargetColumns;
    layout.table(
      [
        { header: pc.citation, width: 11 },
        { header: pc.criterion, width: 39 },
        { header: pc.judged, width: 10 },
        { header: pc.notJudged, width: 40 },
      ],
      view.programmeTargets.map((t) => ({
        kind: 'row',
        cells: [
          t.citation,
          t.criterion,
          fill(words.judgedAt[t.judged], { by: t.by ?? '' }),
          { text: t.notJudged, color: COLOURS.muted },
        ],
      })),
      { heading: words.programmeTargetsHeading, headingSize: 10.5 },
    );
  }
  const cc = words.targetCountColumns;
  layout.table(
    [
      { header: labels.stateCounts.city, width: 24 },
      { header: cc.checked, width: 12, align: 'right' },
      { header: cc.allMet, width: 16, align: 'right' },
      { header: cc.someUnmet, width: 16, align: 'right' },
      { header: cc.noFigures, width: 16, align: 'right' },
      { header: cc.notApplicable, width: 16, align: 'right' },
    ],
    [
      ...view.cities.map((city) => targetCountRow(city.city, city.targets)),
      { ...targetCountRow(labels.common.total, view.targetTotals), bold: true, fill: COLOURS.totalFill },
    ],
  );
  drawStackedBarChart(layout, {
    title: words.targetsChart,
    categories: view.cities.map((c) => c.city),
    series: [
      { label: words.series.allMet, color: COLOURS.onTime },
      { label: words.series.someUnmet, color: COLOURS.late },
      { label: words.series.noFigures, color: COLOURS.missing },
    ],
    values: view.cities.map((c) => [c.targets.allMet, c.targets.someUnmet, c.targets.noFigures]),
  });

  // 三、per pairing
  layout.heading(words.detailHeading);
  const shortOf = (id: string) => (words.targetShort as Record<string, string>)[id] ?? id;
  layout.paragraph(
    fill(words.detailNote, {
      legend: view.perTarget
        .map((t) => fill(words.targetShortLegend, { short: shortOf(t.targetId), text: t.text }))
        .join('；'),
    }),
    { size: 8.5, color: COLOURS.muted },
  );
  const columns: TableColumn[] = [
    // Points, at 8 pt, as in the agreement status: names fit on one line; the marks share the rest.
    { header: words.columns.seq, width: 24, align: 'right' },
    { header: words.columns.recipient, width: 96 },
    { header: words.columns.lead, width: 104 },
    { header: words.columns.state, width: 40 },
    { header: words.columns.submittedOn, width: 52 },
    ...view.perTarget.map(
      (t): TableColumn => ({
        header: shortOf(t.targetId),
        width: 171 / view.perTarget.length,
        align: 'center',
      }),
    ),
  ];
  let seq = 0;
  const rows = view.cities.flatMap((city): TableRow[] => [
    {
      kind: 'band',
      level: 1,
      text: fill(labels.agreements.cityBand, { city: city.city, total: city.counts.total }),
    },
    ...city.counties.flatMap((county) =>
      county.rows.flatMap((row) =>
        pairingRows(
          ++seq,
          row,
          view.perTarget.map((t) => t.targetId),
          view.planDueDate,
        ),
      ),
    ),
  ]);
  layout.table(columns, rows, { fontSize: 8 });

  drawForwardingSection(layout, labels.chain.annualNumber, view.chain, at);

  return layout.finish();
}

function targetCountRow(label: string, counts: TargetCounts): TableRow & { kind: 'row' } {
  return {
    kind: 'row',
    cells: [
      label,
      String(counts.checked),
      String(counts.allMet),
      String(counts.someUnmet),
      String(counts.noFigures),
      String(counts.notApplicable),
    ],
  };
}

/** The pairing's row with a mark per target, and a line under it listing the gaps. */
function pairingRows(
  seq: number,
  row: AnnualRow,
  targetIds: readonly string[],
  planDueDate: string,
): TableRow[] {
  const words = labels.annual;
  const marks = targetIds.map((id) => {
    const verdict = row.verdicts.find((v) => v.targetId === id);
    if (!verdict) return labels.common.none;
    if (verdict.outcome === 'progress') return { text: labels.common.progress, color: COLOURS.muted };
    return verdict.met
      ? { text: labels.common.met, color: COLOURS.onTime }
      : { text: labels.common.unmet, color: COLOURS.missing, bold: true };
  });
  const gaps = [...new Set(row.verdicts.filter((v) => v.outcome === 'unmet').map((v) => v.gap ?? v.text))];
  const reportIn = row.state === 'on-time' || row.state === 'late';
  // A report not in: the state and the row of × say it; a line per such pairing would only repeat it.
  const notes: TableRow[] = !row.targetsApply
    ? [{ kind: 'note', text: words.notApplicable }]
    : !reportIn
      ? []
      : gaps.length === 0
        ? [{ kind: 'note', text: words.allMet, color: COLOURS.onTime }]
        : [{ kind: 'note', text: fill(words.gaps, { gaps: gaps.join('；') }), color: COLOURS.missing }];
  return [
    {
      kind: 'row',
      cells: [
        String(seq),
        recipientCell(row),
        row.lead,
        stateCell(row.state),
        row.submittedOn ?? labels.common.none,
        ...marks,
      ],
    },
    ...ownDueNote(row, planDueDate),
    ...notes,
  ];
}

/**
 * The pairing's own date where it is not the plan's: the hospitals' date where a city commission
 * collects (its 10 December is the commission's). A line under the row, as the gaps are: the target
 * marks leave no room for a column. An extension's line under the name already names the date in force.
 */
function ownDueNote(row: AnnualRow, planDueDate: string): TableRow[] {
  if (row.dueDate === planDueDate || row.effectiveDueDate !== row.dueDate) return [];
  const [, month, day] = row.dueDate.split('-').map(Number) as [number, number, number];
  return [{ kind: 'note', text: fill(labels.chain.ownDueShort, { month, day }), color: COLOURS.muted }];
}
