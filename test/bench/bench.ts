/**
 * `npm run bench [-- section …]`: the figures bangfu is measured by, printed as tables and written to
 * `test-output/bench.json` (or `BANGFU_BENCH_OUT`) for comparing runs. Sections: packages (each Lambda package's size and module
 * start-up), tick (a replay of the agreement deadline against the embedded stack), pdf (each document),
 * scale (the tick on synthetic programmes of `BANGFU_BENCH_SCALES` pairings, default 1000, e.g.
 * `BANGFU_BENCH_SCALES=1000,10000`, each figure beside its baseline and target).
 * Figures are from this machine; they compare runs, they are not Lambda's own. The embedded stand-ins
 * run in the bench's own process, so its memory figures include theirs.
 */
import '../../bin/quiet-sdk-warning.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../infra/defaults.ts';
import { type Figures, log, peakRssMb } from './figures.ts';
import { benchPackages } from './packages.ts';
import { benchPdf } from './pdf.ts';
import { benchScale } from './scale.ts';
import { benchTick } from './tick.ts';

const SECTIONS: Record<string, () => Promise<Figures>> = {
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
for (const name of asked.length > 0 ? asked : Object.keys(SECTIONS)) {
  log(`== ${name}`);
  const section = SECTIONS[name] as () => Promise<Figures>;
  results[name] = await section();
  console.log(`\n## ${name}\n${results[name].table}`);
}
const out = process.env.BANGFU_BENCH_OUT ?? join(REPO_ROOT, 'test-output', 'bench.json');
await mkdir(dirname(out), { recursive: true });
await writeFile(
  out,
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, peakRssMb: peakRssMb(), results }, null, 2)}\n`,
);
console.log(`\npeak RSS of the bench process: ${peakRssMb()} MB; figures in ${out}`);
