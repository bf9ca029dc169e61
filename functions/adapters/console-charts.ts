/**
 * Geometry of the console's two inline SVG charts, computed on the server so the page needs no script:
 * the plan's timeline with today marked, and completeness by city as one 100 % stacked bar per city.
 * Only numbers and already-worded labels come out; the markup is in templates/pages/staff/, where
 * Handlebars escapes every label. Colours are CSS classes named after the states.
 */
import { daysBetween } from '../domain/plain-date.ts';
import { REPORT_STATES, type ReportState, type StateCounts } from '../domain/reports/snapshot.ts';
import type { PlanTimeline } from '../use-cases/console-overview.ts';

/**
 * Drawing widths in SVG units: drawn at one unit per CSS pixel on a laptop, scaled down on a narrower
 * screen (a tablet) so nothing scrolls sideways.
 */
const BAR_WIDTH = 560;
const TIMELINE_WIDTH = 760;
const FONT = 13;

/** Rough advance of a label: CJK characters one em, others about 0.6 em. */
export function textWidth(text: string, fontSize = FONT): number {
  let ems = 0;
  for (const char of text) ems += (char.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.6;
  return ems * fontSize;
}

const round = (n: number) => Math.round(n * 10) / 10;

export interface BarSegment {
  state: ReportState;
  count: number;
  x: number;
  width: number;
  /** Centre of the segment, where its count is written when it fits. */
  textX: number;
  showCount: boolean;
}

export interface Bar {
  label: string;
  y: number;
  textY: number;
  segments: BarSegment[];
  total: string;
  totalX: number;
}

export interface StackedBarGeometry {
  width: number;
  height: number;
  labelX: number;
  barHeight: number;
  legend: { state: ReportState; label: string; x: number; textX: number; y: number; textY: number }[];
  ticks: { x: number; label: string; y1: number; y2: number; textY: number }[];
  bars: Bar[];
}

const BAR = 18;
const GAP = 10;
const LEGEND = 26;
const AXIS = 22;
const TOTAL_COLUMN = 56;

/**
 * One bar per category, each split into the states' shares of its total (so cities of different
 * sizes compare); the counts are written on the segments that have room and the total at the end.
 */
export function stackedBarGeometry(
  categories: readonly { label: string; counts: StateCounts }[],
  words: { state: Record<ReportState, string>; total: (n: number) => string; percent: (n: number) => string },
): StackedBarGeometry {
  const states = REPORT_STATES.filter((s) => categories.some((c) => c.counts[s] > 0));
  const labelWidth = Math.min(220, Math.max(60, ...categories.map((c) => textWidth(c.label))) + 12);
  const plotLeft = labelWidth;
  const plotWidth = BAR_WIDTH - labelWidth - TOTAL_COLUMN;
  const legend: StackedBarGeometry['legend'] = [];
  let x = 0;
  for (const state of states) {
    const label = words.state[state];
    legend.push({ state, label, x, textX: x + 16, y: 6, textY: 16 });
    x += 16 + textWidth(label, 12) + 18;
  }
  const barsTop = LEGEND;
  const bars = categories.map((category, i): Bar => {
    const y = barsTop + i * (BAR + GAP);
    let left = plotLeft;
    const segments = states.flatMap((state): BarSegment[] => {
      const count = category.counts[state];
      if (count === 0 || category.counts.total === 0) return [];
      const width = (count / category.counts.total) * plotWidth;
      const segment = {
        state,
        count,
        x: round(left),
        width: round(width),
        textX: round(left + width / 2),
        showCount: width >= textWidth(String(count), 11) + 6,
      };
      left += width;
      return [segment];
    });
    return {
      label: category.label,
      y,
      textY: y + BAR / 2 + FONT / 2 - 2,
      segments,
      total: words.total(category.counts.total),
      totalX: plotLeft + plotWidth + 8,
    };
  });
  const barsBottom = barsTop + categories.length * (BAR + GAP) - GAP / 2;
  const ticks = [0, 25, 50, 75, 100].map((share) => ({
    x: round(plotLeft + (share / 100) * plotWidth),
    label: words.percent(share),
    y1: barsTop - 4,
    y2: barsBottom,
    textY: barsBottom + 15,
  }));
  return {
    width: BAR_WIDTH,
    height: barsBottom + AXIS,
    labelX: labelWidth - 8,
    barHeight: BAR,
    legend,
    ticks,
    bars,
  };
}

export interface TimelineMarker {
  x: number;
  kind: string;
  when: 'past' | 'next' | 'later';
  /** Agreements above the axis, annual reports below, so neighbouring labels do not collide. */
  above: boolean;
  textY: number;
  label: string;
  /** A diamond's corners (agreements), or the centre of a circle (annual reports). */
  points: string;
  cy: number;
  isDiamond: boolean;
}

export interface TimelineGeometry {
  width: number;
  height: number;
  axisY: number;
  /** Top of the submission-window bars, which straddle the axis. */
  windowY: number;
  x1: number;
  x2: number;
  years: { x: number; labelX: number; label: string }[];
  /** Submission windows, opening day to due date. */
  windows: { x: number; width: number; when: 'past' | 'next' | 'later' }[];
  markers: TimelineMarker[];
  /** Today's line runs from the year ticks to the bottom, its label under the axis's labels. */
  today: {
    x: number;
    label: string;
    anchor: 'start' | 'middle' | 'end';
    y1: number;
    y2: number;
    textY: number;
  };
}

const SIDE = 24;
const AXIS_Y = 62;

export function timelineGeometry(
  timeline: PlanTimeline,
  words: { year: (year: number) => string; monthDay: (date: string) => string; today: string },
): TimelineGeometry {
  const x1 = SIDE;
  const x2 = TIMELINE_WIDTH - SIDE;
  const span = Math.max(1, daysBetween(timeline.from, timeline.to));
  const xOf = (date: string) => {
    const days = Math.min(span, Math.max(0, daysBetween(timeline.from, date)));
    return round(x1 + (days / span) * (x2 - x1));
  };
  const firstYear = Number(timeline.from.slice(0, 4));
  const lastYear = Number(timeline.to.slice(0, 4));
  const years = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const start = xOf(`${year}-01-01`);
    const end = year === lastYear ? x2 : xOf(`${year + 1}-01-01`);
    years.push({ x: start, labelX: round((start + end) / 2), label: words.year(year) });
  }
  const markers = timeline.milestones.map((m): TimelineMarker => {
    const x = xOf(m.dueDate);
    const above = m.kind === 'agreement';
    const cy = AXIS_Y;
    const r = 7;
    return {
      x,
      kind: m.kind,
      when: m.when,
      above,
      textY: above ? AXIS_Y - 16 : AXIS_Y + 26,
      label: words.monthDay(m.dueDate),
      points: `${x},${cy - r} ${x + r},${cy} ${x},${cy + r} ${x - r},${cy}`,
      cy,
      isDiamond: above,
    };
  });
  const todayX = xOf(timeline.today);
  return {
    width: TIMELINE_WIDTH,
    height: AXIS_Y + 50,
    axisY: AXIS_Y,
    windowY: AXIS_Y - 4,
    x1,
    x2,
    years,
    windows: timeline.milestones.map((m) => {
      const x = xOf(m.opensOn);
      return { x, width: round(Math.max(2, xOf(m.dueDate) - x)), when: m.when };
    }),
    markers,
    today: {
      x: todayX,
      label: words.today,
      anchor: todayX <= x1 + 20 ? 'start' : todayX >= x2 - 20 ? 'end' : 'middle',
      y1: 22,
      y2: AXIS_Y + 34,
      textY: AXIS_Y + 48,
    },
  };
}
