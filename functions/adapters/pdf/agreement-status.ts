/** Document 1: the agreement status of a programme as of an instant. */
import type { AgreementRow, AgreementStatusView } from '../../domain/reports/agreement-status.ts';
import type { CityGroup, StateCounts } from '../../domain/reports/snapshot.ts';
import { drawStackedBarChart } from './bar-chart.ts';
import { drawForwardingSection, monthDay } from './forwarding-table.ts';
import { PdfLayout, type TableRow } from './layout.ts';
import {
  recipientCell,
  stateCell,
  stateCountColumns,
  stateCountRow,
  stateSeries,
  stateValues,
  summaryValues,
} from './state-table.ts';
import { dateZh, fill, instantZh, labels, taskLevelsText } from './wording.ts';

export async function renderAgreementStatus(view: AgreementStatusView): Promise<Buffer> {
  const words = labels.agreements;
  const at = instantZh(view.at);
  const layout = new PdfLayout({
    title: words.title,
    subject: fill(words.subject, { programme: view.programme.name, at }),
    keywords: view.programme.id,
    generatedAt: new Date(view.generatedAt),
    runningHead: view.programme.shortName,
  });

  layout.titleBlock(view.programme.name, [
    [labels.common.programme, `${view.programme.name}（${view.programme.id}）`],
    [labels.common.asOf, at],
    [
      labels.common.dueDate,
      view.dueDates.map(dateZh).join(labels.common.listSeparator) || labels.common.none,
    ],
    [labels.common.pairingCount, fill(labels.common.pairingCountValue, { n: view.totals.total })],
    [labels.common.generated, instantZh(view.generatedAt)],
  ]);

  layout.heading(words.summaryHeading);
  layout.paragraph(fill(words.summary, { at, ...summaryValues(view.totals) }));
  layout.table(stateCountColumns(), [
    ...view.cities.map((city) => stateCountRow(city.city, city.counts)),
    stateCountRow(labels.common.total, view.totals, true),
  ]);
  drawStackedBarChart(layout, {
    title: words.chartTitle,
    categories: view.cities.map((c) => c.city),
    series: stateSeries(view.totals),
    values: view.cities.map((c) => stateValues(c.counts, view.totals)),
  });

  layout.heading(words.detailHeading);
  const columns = words.columns;
  layout.table(
    [
      // Points of the 487-point text width, at 8 pt: the longest canonical names (11 characters for a
      // recipient, 12 for a supporter) fit on one line.
      { header: columns.seq, width: 24, align: 'right' },
      { header: columns.county, width: 38 },
      { header: columns.recipient, width: 96 },
      { header: columns.lead, width: 104 },
      { header: columns.others, width: 53 },
      { header: columns.levels, width: 40 },
      // The pairing's own date: the hospitals' where a city commission collects.
      { header: labels.common.dueDate, width: 40 },
      { header: columns.state, width: 40 },
      // A full date (2022-02-21) on one line.
      { header: columns.submittedOn, width: 52 },
    ],
    detailRows(view.cities),
    { fontSize: 8 },
  );

  drawForwardingSection(layout, labels.chain.agreementsNumber, view.chain, at);

  return layout.finish();
}

function detailRows(cities: readonly CityGroup<AgreementRow>[]): TableRow[] {
  let seq = 0;
  return cities.flatMap((city) => [
    { kind: 'band', level: 1, text: cityBand(city.city, city.counts) } as TableRow,
    ...city.counties.flatMap((county) =>
      county.rows.map(
        (row): TableRow => ({
          kind: 'row',
          cells: [
            String(++seq),
            county.county,
            recipientCell(row),
            row.lead,
            row.otherSupporters.join(labels.common.listSeparator) || labels.common.none,
            taskLevelsText(row.taskLevels),
            monthDay(row.dueDate),
            stateCell(row.state),
            row.submittedOn ?? labels.common.none,
          ],
        }),
      ),
    ),
  ]);
}

function cityBand(city: string, counts: StateCounts): string {
  return fill(labels.agreements.cityBand, { city, total: counts.total });
}
