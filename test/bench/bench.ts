/**
 * `npm run bench [-- section …]`: the figures bangfu is judged by. Each section prints its own table as
 * it finishes (progress on stderr); the run ends with ONE table of every figure judged, each measured
 * in this run beside its baseline, with its target, PASS or MISS, and for a miss what bounds it. All of
 * it goes to `test-output/bench.json` (or `BANGFU_BENCH_OUT`) for comparing runs. Sections:
 * - packages: each Lambda package's size apart from the font, and its cold import in a fresh Node process;
 * - tick: both seed plans replayed over their agreement deadline (`BANGFU_BENCH_REPLAY_FROM`/`_TO`);
 * - pdf: each document of the seed plans, first and warm renders;
 * - scale: synthetic programmes of `BANGFU_BENCH_SCALES` pairings (default 1000, e.g. 1000,10000):
 *   the busy, rerun, quiet and Monday ticks and the annual summary PDF, each in a process of its own
 *   beside stand-ins in another, so every memory figure is that step's own.
 * Figures are from this machine; they compare runs, they are not Lambda's own.
 */
import '../../bin/quiet-sdk-warning.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../infra/defaults.ts';
import { type Figures, figures, type JudgedRow, log, peakRssMb } from './figures.ts';
import { benchPackages } from './packages.ts';
import { benchPdf } from './pdf.ts';
import { benchScale } from './scale.ts';
import { benchTick } from './tick.ts';

const SECTIONS: Record<string, () => Promise<Figures & { judged?: JudgedRow[] }>> = {
  packages: benchPackages,
  tick: benchTick,
  pdf: benchPdf,
  scale: benchScale,
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !SECTIONS[name]);
if (unknown.length > 0) {
  console.error(`bench: no section ${unknown.join(', ')}; sections: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}

const results: Record<string, Figures> = {};
const judged: JudgedRow[] = [];
for (const name of asked.length > 0 ? asked : Object.keys(SECTIONS)) {
  log(`== ${name}`);
  const section = SECTIONS[name] as () => Promise<Figures & { judged?: JudgedRow[] }>;
  const { judged: rows = [], ...result } = await section();
  results[name] = result;
  judged.push(...rows);
  // A section whose table is its judged rows is printed once, in the merged table.
  if (result.table !== figures(rows).table) log(`\n## ${name}\n${result.table}\n`);
}
const summary = figures(judged);
console.log(`## every figure judged\n${summary.table}`);
const missed = judged.filter((row) => row.result === 'MISS').length;
const passed = judged.filter((row) => row.result === 'PASS').length;
const out = process.env.BANGFU_BENCH_OUT ?? join(REPO_ROOT, 'test-output', 'bench.json');
await mkdir(dirname(out), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, peakRssMb: peakRssMb(), summary: judged, results }, null, 2)}\n`,
);
console.log(
  `\n${passed} PASS, ${missed} MISS; peak RSS of the bench process: ${peakRssMb()} MB; figures in ${out}`,
);
