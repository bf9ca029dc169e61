/**
 * A horizontal stacked bar chart drawn with pdfkit's vector primitives: one bar per category (a city),
 * one segment per series (on time, late, missing …), counts written on the segments and the total at
 * the end of each bar, a legend above and a scale below. Vector, so it stays sharp in print and costs
 * a few hundred bytes.
 */
import { COLOURS, type PdfLayout } from './layout.ts';

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

export function drawStackedBarChart(layout: PdfLayout, chart: StackedBarChart): void {
  const { doc } = layout;
  const titleHeight = 16;
  const height = titleHeight + LEGEND + chart.categories.length * (BAR + GAP) + AXIS + 6;
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

  // Scale
  const totals = chart.values.map((v) => v.reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const scaleMax = Math.ceil(max / step) * step;
  doc.font('regular').fontSize(8);
  const labelWidth = Math.min(130, Math.max(40, ...chart.categories.map((c) => doc.widthOfString(c))) + 8);
  const plotLeft = left + labelWidth;
  const plotWidth = layout.width - labelWidth - 24;
  const barsTop = legendY + LEGEND;
  const barsBottom = barsTop + chart.categories.length * (BAR + GAP);
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
      .text(String(tick), tx - 15, barsBottom + 3, { width: 30, align: 'center', lineBreak: false });
  }

  // Bars
  chart.categories.forEach((category, i) => {
    const y = barsTop + i * (BAR + GAP) + GAP / 2;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(COLOURS.text)
      .text(category, left, y + 1, { width: labelWidth - 8, align: 'right', lineBreak: false });
    let start = 0;
    (chart.values[i] ?? []).forEach((value, s) => {
      if (value <= 0) return;
      const x0 = xOf(start);
      const x1 = xOf(start + value);
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
      .text(String(totals[i] ?? 0), xOf(start) + 3, y + 1.5, { width: 24, lineBreak: false });
  });

  doc.x = left;
  doc.y = barsBottom + AXIS + 6;
  doc.font('regular').fontSize(10).fillColor(COLOURS.text);
}

/** A step of 1, 2 or 5 × 10ⁿ giving at most about eight ticks. */
function niceStep(max: number): number {
  const raw = max / 8;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Math.max(1, step);
}
