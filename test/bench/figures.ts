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
