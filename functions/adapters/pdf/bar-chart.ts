/**
 * A horizontal stacked bar chart drawn with pdfkit's vector primitives: one bar per category (a city),
 * one segment per series (on time, late, missing …), counts written on the segments and the total at
 * the end of each bar, a legend above and a scale below. Vector, so it stays sharp in print and costs
 * a few hundred bytes.
 *
 * A chart always fits on one page: with more categories than MAX_BARS it shows the categories with the
 * largest totals and one bar for the rest, each bar then drawn as shares of its own total (so the
 * rest's bar, many cities long, does not flatten the others), with a note saying so. The table beside
 * it keeps every category's figures.
 */
import { COLOURS, type PdfLayout } from './layout.ts';
import { fill, labels } from './wording.ts';

export interface BarSeries {
  label: string;
  color: string;
}

export interface StackedBarChart {
  title: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  /** values[category][series] */
  values: readonly (readonly number[])[];
}

const BAR = 11;
const GAP = 6;
const LEGEND = 16;
const AXIS = 16;
const NOTE = 14;
/** Bars in one chart: 30 × 17 points and the title, legend, scale and note take 580 of A4's 718. */
export const MAX_BARS = 30;

/** What is drawn: the chart itself, or its largest categories and the rest as shares. */
interface Drawn {
  categories: readonly string[];
  values: readonly (readonly number[])[];
  shares: boolean;
  note?: string;
}

/** The chart as drawn: all of it, or the MAX_BARS − 1 largest categories (stable on ties) and the rest. */
export function chartToDraw(chart: StackedBarChart): Drawn {
  if (chart.categories.length <= MAX_BARS) return { ...chart, shares: false };
  const sum = (values: readonly number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);
  const ranked = chart.categories
    .map((_, i) => i)
    .sort((a, b) => sum(chart.values[b]) - sum(chart.values[a]) || a - b);
  const top = ranked.slice(0, MAX_BARS - 1);
  const rest = ranked.slice(MAX_BARS - 1);
  const restValues = chart.series.map((_, s) => rest.reduce((t, i) => t + (chart.values[i]?.[s] ?? 0), 0));
  return {
    categories: [
      ...top.map((i) => chart.categories[i] as string),
      fill(labels.chart.rest, { n: rest.length }),
    ],
    values: [...top.map((i) => chart.values[i] ?? []), restValues],
    shares: true,
    note: fill(labels.chart.aggregated, {
      total: chart.categories.length,
      shown: top.length,
      rest: rest.length,
    }),
  };
}

export function drawStackedBarChart(layout: PdfLayout, chart: StackedBarChart): void {
  const { doc } = layout;
  const drawn = chartToDraw(chart);
  const titleHeight = 16;
  const noteHeight = drawn.note ? NOTE * 2 : 0;
  const height = titleHeight + LEGEND + drawn.categories.length * (BAR + GAP) + AXIS + noteHeight + 6;
  layout.ensureSpace(height);
  const top = layout.y;
  const left = layout.left;

  doc.font('bold').fontSize(9.5).fillColor(COLOURS.text);
  doc.text(chart.title, left, top, { width: layout.width, lineBreak: false });

  // Legend
  let x = left;
  const legendY = top + titleHeight;
  doc.font('regular').fontSize(8);
  for (const s of chart.series) {
    doc.rect(x, legendY + 1, 9, 7).fill(s.color);
    doc.fillColor(COLOURS.text).text(s.label, x + 12, legendY, { lineBreak: false });
    x += 12 + doc.widthOfString(s.label) + 14;
  }

  // Scale: counts, or per cent of each bar's own total when the rest is one bar.
  const totals = drawn.values.map((v) => v.reduce((a, b) => a + b, 0));
  const max = drawn.shares ? 100 : Math.max(1, ...totals);
  const step = drawn.shares ? 20 : niceStep(max);
  const scaleMax = Math.ceil(max / step) * step;
  doc.font('regular').fontSize(8);
  const labelWidth = Math.min(130, Math.max(40, ...drawn.categories.map((c) => doc.widthOfString(c))) + 8);
  const plotLeft = left + labelWidth;
  const plotWidth = layout.width - labelWidth - 24;
  const barsTop = legendY + LEGEND;
  const barsBottom = barsTop + drawn.categories.length * (BAR + GAP);
  const xOf = (value: number) => plotLeft + (value / scaleMax) * plotWidth;

  for (let tick = 0; tick <= scaleMax; tick += step) {
    const tx = xOf(tick);
    doc
      .moveTo(tx, barsTop - 2)
      .lineTo(tx, barsBottom)
      .lineWidth(tick === 0 ? 0.8 : 0.3)
      .strokeColor(tick === 0 ? COLOURS.muted : COLOURS.rule)
      .stroke();
    doc
      .fillColor(COLOURS.muted)
      .fontSize(7)
      .text(drawn.shares ? `${tick}%` : String(tick), tx - 15, barsBottom + 3, {
        width: 30,
        align: 'center',
        lineBreak: false,
      });
  }

  // Bars
  drawn.categories.forEach((category, i) => {
    const y = barsTop + i * (BAR + GAP) + GAP / 2;
    const total = totals[i] ?? 0;
    const length = (value: number) => (drawn.shares ? (total > 0 ? (value / total) * 100 : 0) : value);
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(COLOURS.text)
      .text(category, left, y + 1, { width: labelWidth - 8, align: 'right', lineBreak: false });
    let start = 0;
    (drawn.values[i] ?? []).forEach((value, s) => {
      if (value <= 0) return;
      const x0 = xOf(length(start));
      const x1 = xOf(length(start + value));
      doc.rect(x0, y, x1 - x0, BAR).fill(chart.series[s]?.color ?? COLOURS.muted);
      if (x1 - x0 >= 10) {
        doc
          .fillColor('#ffffff')
          .fontSize(7)
          .text(String(value), x0, y + 1.5, { width: x1 - x0, align: 'center', lineBreak: false });
      }
      start += value;
    });
    doc
      .fillColor(COLOURS.text)
      .fontSize(7.5)
      .text(String(total), xOf(length(start)) + 3, y + 1.5, { width: 24, lineBreak: false });
  });

  doc.x = left;
  doc.y = barsBottom + AXIS + 6;
  if (drawn.note) {
    doc.font('regular').fontSize(7.5).fillColor(COLOURS.muted);
    doc.text(drawn.note, left, doc.y, { width: layout.width });
    doc.y += 4;
  }
  doc.font('regular').fontSize(10).fillColor(COLOURS.text);
}

/** A step of 1, 2 or 5 × 10ⁿ giving at most about eight ticks. */
function niceStep(max: number): number {
  const raw = max / 8;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Math.max(1, step);
}
