/**
 * The daily tick against the embedded stack (dynalite, s3rver, aws-ses-v2-local; SES paced at 500/s):
 * both plans and the demo roster loaded, then each day's 09:00 tick from 21 January to 10 March 2022,
 * the weeks around the agreement deadline of 28 February, then the same days again (nothing is due
 * twice: the cost of a rerun).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWiring, runTick } from '../../functions/composition/wiring.ts';
import { addDays } from '../../functions/domain/plain-date.ts';
import { startEmbeddedStack } from '../../functions/local/embedded-stack.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { type Figures, figures, log, peakRssMb } from './figures.ts';

const FIRST_DAY = '2022-01-21';
const LAST_DAY = '2022-03-10';

export async function benchTick(): Promise<Figures> {
  const home = await mkdtemp(join(tmpdir(), 'bangfu-bench-tick-'));
  const stack = await startEmbeddedStack({ home, persistent: false });
  try {
    let at = new Date();
    const wiring = createWiring(stack.config, { clock: () => at });
    try {
      const loadStarted = performance.now();
      await loadSeeds(wiring.store, await readSeedFiles());
      await importRoster(wiring.store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
      const loadMs = performance.now() - loadStarted;
      log(`  plans and roster loaded in ${Math.round(loadMs)} ms`);

      const rows = [];
      for (const pass of ['first run', 'rerun'] as const) {
        let messages = 0;
        let busiest = { day: '', messages: 0, ms: 0 };
        const started = performance.now();
        let days = 0;
        for (let day = FIRST_DAY; day <= LAST_DAY; day = addDays(day, 1)) {
          at = new Date(`${day}T09:00:00+08:00`);
          const dayStarted = performance.now();
          const result = await runTick(wiring, at);
          const ms = performance.now() - dayStarted;
          const sent = result.messages.length + result.published.messages.length;
          if (result.failed.length > 0) throw new Error(`tick ${day}: ${result.failed.length} failed`);
          messages += sent;
          days++;
          if (sent > busiest.messages) busiest = { day, messages: sent, ms };
        }
        const totalMs = performance.now() - started;
        log(`  ${pass}: ${days} days, ${messages} messages in ${Math.round(totalMs)} ms`);
        rows.push({
          pass,
          days,
          messages,
          'total s': Math.round(totalMs / 100) / 10,
          'ms per day (mean)': Math.round(totalMs / days),
          'busiest day': busiest.day || '-',
          'its messages': busiest.messages,
          'its ms': Math.round(busiest.ms),
          'messages/s that day': busiest.ms > 0 ? Math.round((busiest.messages / busiest.ms) * 1000) : 0,
          'peak RSS MB, stand-ins included': peakRssMb(),
        });
      }
      return figures(rows);
    } finally {
      wiring.destroy();
    }
  } finally {
    await stack.stop();
    await rm(home, { recursive: true, force: true });
  }
}
