/**
 * A child process of the bench (children.ts): one measured step, in a fresh Node process so its peak
 * RSS (process.resourceUsage().maxRSS) is the step's own, stand-ins apart. The request is argv[2] as
 * JSON; the reply `{ result }` or `{ error }` goes back over the IPC channel. Each step imports what it
 * needs when it runs, so a step holds only its own modules (the floor: pdfkit and the font, no SDK).
 *
 * Steps reach the application through its public entry points only: loadSeeds and importRoster (what
 * `bangfu seed` and `bangfu roster import` call), runTick (the Tick Lambda's use case), renderReport
 * with the PDF renderers (what the console and the tick's documents call), startReplay (`bangfu demo`).
 */
import '../../bin/quiet-sdk-warning.js';
import { readFile, writeFile } from 'node:fs/promises';
import type { AppConfig } from '../../functions/adapters/config.ts';
import type { Wiring } from '../../functions/composition/wiring.ts';
import type { AnnualSummaryView } from '../../functions/domain/reports/annual-summary.ts';
import type { DynamoCounts } from './dynamo-counter.ts';
import { peakRssMb } from './figures.ts';

export type StepRequest = IdleStep | SeedStep | TickStep | PdfStep | FloorStep | ReplayStep;

/** The modules of a tick loaded and the wiring built, nothing run: what a process holds before work. */
interface IdleStep {
  step: 'idle';
  config: AppConfig;
}

/** The synthetic programme of `pairings` loaded, then its roster. */
interface SeedStep {
  step: 'seed';
  config: AppConfig;
  pairings: number;
}

/** A full Scan of the table, then the daily tick of `day` at 09:00 Beijing time, counted. */
interface TickStep {
  step: 'tick';
  config: AppConfig;
  day: string;
}

/** The annual summary of `programmeId` and `year` rendered; the PDF and its rows written to files. */
interface PdfStep {
  step: 'pdf';
  config: AppConfig;
  programmeId: string;
  year: number;
  at: string;
  pdfFile: string;
  rowsFile: string;
}

/** The same rows written with bare pdfkit and the same font: what any PDF of them costs. */
interface FloorStep {
  step: 'floor';
  rowsFile: string;
  pdfFile: string;
}

/** Both seed plans and the demo roster on a replayed local app, each day's tick from `from` to `to`. */
interface ReplayStep {
  step: 'replay';
  from: string;
  to: string;
}

interface StepFigures {
  idle: Record<string, never>;
  seed: { seedMs: number; rosterMs: number; institutions: number; contacts: number };
  tick: {
    day: string;
    /** Items a full Scan of the table reads, just before the tick. */
    scan: number;
    counts: DynamoCounts;
    messages: number;
    reminders: number;
    digests: number;
    documentNotices: number;
    documents: number;
    due: number;
    failed: number;
    ms: number;
  };
  pdf: { totalMs: number; renderMs: number; bytes: number; rows: number };
  floor: { ms: number; bytes: number };
  replay: {
    days: number;
    messages: number;
    startMs: number;
    ms: number;
    busiest: { day: string; messages: number; ms: number };
    failed: number;
  };
}

/** What a step measured, with its process's own peak RSS. */
export type StepOutput<K extends StepRequest['step']> = StepFigures[K] & { peakRssMb: number };
export type StepResult<S extends StepRequest> = StepOutput<S['step']>;

const nineOclock = (day: string) => new Date(`${day}T09:00:00+08:00`);

async function wiringOf(config: AppConfig, at: Date): Promise<Wiring> {
  const { createWiring } = await import('../../functions/composition/wiring.ts');
  return createWiring(config, { clock: () => at });
}

const steps: {
  [K in StepRequest['step']]: (request: Extract<StepRequest, { step: K }>) => Promise<StepFigures[K]>;
} = {
  async idle({ config }) {
    const wiring = await wiringOf(config, new Date());
    wiring.destroy();
    return {};
  },

  async seed({ config, pairings }) {
    const { syntheticPlan } = await import('./synthetic/synthetic-plan.ts');
    const { loadSeeds } = await import('../../functions/use-cases/load-seeds.ts');
    const { importRoster } = await import('../../functions/use-cases/import-roster.ts');
    const plan = syntheticPlan({ pairings, seed: 1 });
    const wiring = await wiringOf(config, new Date());
    try {
      let started = performance.now();
      await loadSeeds(wiring.store, {
        institutions: { name: 'synthetic/institutions.json', content: plan.institutions },
        programmes: [{ name: `synthetic/programmes/${plan.programme.id}.json`, content: plan.programme }],
      });
      const seedMs = performance.now() - started;
      started = performance.now();
      await importRoster(wiring.store, { name: 'synthetic/roster/roster.csv', text: plan.roster });
      const rosterMs = performance.now() - started;
      return { seedMs, rosterMs, institutions: plan.counts.institutions, contacts: plan.counts.contacts };
    } finally {
      wiring.destroy();
    }
  },

  async tick({ config, day }) {
    const { runTick } = await import('../../functions/composition/wiring.ts');
    const { countDynamoRequests } = await import('./dynamo-counter.ts');
    const at = nineOclock(day);
    const wiring = await wiringOf(config, at);
    try {
      const scan = await fullScanCount(wiring);
      const counter = countDynamoRequests(wiring.clients.documents);
      const started = performance.now();
      const result = await runTick(wiring, at);
      const ms = performance.now() - started;
      const published = result.published.messages;
      return {
        day,
        scan,
        counts: counter.counts(),
        messages: result.messages.length + published.length,
        reminders: result.messages.length,
        digests: published.filter((m) => m.kind === 'digest').length,
        documentNotices: published.filter((m) => m.kind === 'document').length,
        documents: result.published.documents.length,
        due: result.due + result.forwardings.due,
        failed: result.failed.length + result.published.failed.length,
        ms,
      };
    } finally {
      wiring.destroy();
    }
  },

  async pdf({ config, programmeId, year, at, pdfFile, rowsFile }) {
    const { renderReport } = await import('../../functions/use-cases/render-report.ts');
    const { pdfRenderers } = await import('../../functions/adapters/pdf/renderers.ts');
    const wiring = await wiringOf(config, new Date(at));
    try {
      let view: AnnualSummaryView | undefined;
      let renderMs = 0;
      const started = performance.now();
      const report = await renderReport(
        wiring.store,
        { type: 'annual', programmeId, year, at: new Date(at), generatedAt: new Date(at) },
        {
          ...pdfRenderers,
          // The same renderer, timed apart from the reads, and its view kept for the floor's rows.
          async annual(annual) {
            view = annual;
            const renderStarted = performance.now();
            const pdf = await pdfRenderers.annual(annual);
            renderMs = performance.now() - renderStarted;
            return pdf;
          },
        },
      );
      const totalMs = performance.now() - started;
      if (!view) throw new Error('the annual summary was not rendered through its renderer');
      const rows = await floorRowsOf(view);
      await writeFile(pdfFile, report.pdf);
      await writeFile(rowsFile, JSON.stringify(rows));
      return { totalMs, renderMs, bytes: report.pdf.length, rows: rows.length };
    } finally {
      wiring.destroy();
    }
  },

  async floor({ rowsFile, pdfFile }) {
    const rows = JSON.parse(await readFile(rowsFile, 'utf8')) as string[][];
    const { default: PDFDocument } = await import('pdfkit');
    const { fontData } = await import('../../functions/adapters/pdf/fonts.ts');
    const started = performance.now();
    const doc = new PDFDocument({ size: 'A4', margins: { top: 62, bottom: 62, left: 54, right: 54 } });
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    doc.registerFont('regular', fontData('regular'));
    doc.font('regular').fontSize(8);
    for (const cells of rows) doc.text(cells.join('  '));
    doc.end();
    const pdf = await done;
    const ms = performance.now() - started;
    await writeFile(pdfFile, pdf);
    return { ms, bytes: pdf.length };
  },

  async replay({ from, to }) {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { addDays } = await import('../../functions/domain/plain-date.ts');
    const { startReplay, nineOclock: replayNine } = await import('../../functions/local/replay.ts');
    const home = await mkdtemp(join(tmpdir(), 'bangfu-bench-replay-'));
    const startStarted = performance.now();
    const replay = await startReplay({ home, at: replayNine(from), demoRoster: true });
    const startMs = performance.now() - startStarted;
    try {
      let days = 0;
      let messages = 0;
      let failed = 0;
      let busiest = { day: '', messages: 0, ms: 0 };
      const started = performance.now();
      for (let day = from; day <= to; day = addDays(day, 1)) {
        const dayStarted = performance.now();
        const result = await replay.tickAt(day);
        const dayMs = performance.now() - dayStarted;
        const sent = result.messages.length + result.published.messages.length;
        failed += result.failed.length + result.published.failed.length;
        messages += sent;
        days++;
        if (sent > busiest.messages) busiest = { day, messages: sent, ms: dayMs };
      }
      return { days, messages, startMs, ms: performance.now() - started, busiest, failed };
    } finally {
      await replay.stop();
      await rm(home, { recursive: true, force: true });
    }
  },
};

/** Every item in the table, counted the way a tick without indexes would read it: a full Scan. */
async function fullScanCount(wiring: Wiring): Promise<number> {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await wiring.clients.documents.send(
      new ScanCommand({ TableName: wiring.config.tableName, Select: 'COUNT', ExclusiveStartKey }),
    );
    count += page.ScannedCount ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/**
 * The annual summary's per-pairing table as lines of text: a band per city, then per pairing its
 * number, recipient, lead, state, date in and a mark per target, in the document's own words.
 */
async function floorRowsOf(view: AnnualSummaryView): Promise<string[][]> {
  const { default: labels } = await import('../../templates/pdf/labels.zh.json', { with: { type: 'json' } });
  const { common, states } = labels;
  let seq = 0;
  return view.cities.flatMap((city) => [
    [city.city],
    ...city.counties.flatMap((county) =>
      county.rows.map((row) => [
        String(++seq),
        row.recipient,
        row.lead,
        states[row.state],
        row.submittedOn ?? common.none,
        ...view.perTarget.map((t) => {
          const verdict = row.verdicts.find((v) => v.targetId === t.targetId);
          if (!verdict) return common.none;
          if (verdict.outcome === 'progress') return common.progress;
          return verdict.met ? common.met : common.unmet;
        }),
      ]),
    ),
  ]);
}

const request = JSON.parse(process.argv[2] ?? '{}') as StepRequest;
const run = steps[request.step] as (request: StepRequest) => Promise<object>;
try {
  if (!run) throw new Error(`no step ${request.step}`);
  const figures = await run(request);
  process.send?.({ result: { ...figures, peakRssMb: peakRssMb() } }, () => process.exit(0));
} catch (error) {
  process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () =>
    process.exit(1),
  );
}
