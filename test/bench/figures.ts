/** What every bench section returns: rows to print, and the same figures as data. */
export interface Figures {
  table: string;
  rows: Record<string, string | number>[];
}

/** Progress goes to stderr, so the tables on stdout stay clean. */
export const log = (text: string) => process.stderr.write(`${text}\n`);

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The process's peak resident set so far, in MB (maxRSS is in kilobytes). */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Rows as an aligned text table, columns in the order of the first row's keys. */
export function figures(rows: Record<string, string | number>[]): Figures {
  const columns = Object.keys(rows[0] ?? {});
  const cell = (v: string | number | undefined) => String(v ?? '');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return {
    rows,
    table: [
      line(columns),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
    ].join('\n'),
  };
}

/** A figure judged against its target: one row of the merged table `npm run bench` ends with. */
export interface JudgedRow extends Record<string, string | number> {
  section: string;
  /** Pairings for a synthetic scale, or what else the figure is of (a Lambda, the seed plans). */
  scale: string | number;
  figure: string;
  measured: string | number;
  baseline: string;
  target: string;
  /** PASS, MISS, or `-` for a figure with no target. */
  result: string;
  /** For a miss: what the figure is made of, the part to work on first. */
  'what bounds it': string;
}

/** What a section returns when it judges its figures: its own table, and its rows for the merged one. */
export interface JudgedFigures extends Figures {
  judged: JudgedRow[];
}

export const verdict = (passed: boolean) => (passed ? 'PASS' : 'MISS');

/**
 * A row builder for one section and scale: `passed` undefined is a figure shown without a target;
 * the bound is printed only where the target was missed.
 */
export function judge(section: string, scale: string | number) {
  return (
    figure: string,
    measured: string | number,
    baseline: string,
    target: string,
    passed: boolean | undefined,
    bound = '',
  ): JudgedRow => ({
    section,
    scale,
    figure,
    measured,
    baseline,
    target,
    result: passed === undefined ? '-' : verdict(passed),
    'what bounds it': passed === false ? bound : '',
  });
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const perSecond = (count: number, ms: number) => (ms > 0 ? Math.round((count / ms) * 1000) : 0);
