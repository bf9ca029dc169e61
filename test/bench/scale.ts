/**
 * The daily tick at scale: for each scale in `BANGFU_BENCH_SCALES` (pairings, comma-separated, default
 * 1000; e.g. `BANGFU_BENCH_SCALES=1000,10000`) a synthetic Fujian-shaped programme (synthetic/) is
 * loaded into a fresh embedded stack through `loadSeeds` and `importRoster`, the paths `bangfu seed`
 * and `bangfu roster import` take. Then, counted by a middleware on the wiring's DynamoDB client:
 * the busy day (the T-3 send of the city-routed 2022 agreements, due 5 working days before the
 * plan's 28 February, Fujian §三(一)), the same day again (nothing left to send), and a quiet day in
 * July, each beside a full Scan of the same table. The table is fresh, so the busy day also sends the
 * earlier stages the tick catches up on (every obligation in its window): the heaviest first day. Every figure carries its target and PASS or MISS;
 * a miss names what bounds it (the access paths that read the most).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createWiring, runTick, type Wiring } from '../../functions/composition/wiring.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import { reminderSchedule } from '../../functions/domain/reminder-schedule.ts';
import { obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { startEmbeddedStack } from '../../functions/local/embedded-stack.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds, planSeeds, type SeedInput } from '../../functions/use-cases/load-seeds.ts';
import { countDynamoRequests, type DynamoCounts } from './dynamo-counter.ts';
import { type Figures, figures, log, peakRssMb } from './figures.ts';
import { syntheticPlan } from './synthetic/synthetic-plan.ts';

export const SCALES_ENV = 'BANGFU_BENCH_SCALES';
const DEFAULT_SCALES = [1000];
/** A Wednesday in July: no stage of any obligation or forwarding falls near it. */
const QUIET_DAY = '2022-07-13';

/** The issue's targets. */
const TARGET = {
  quietItems: 10,
  busyItemsPerDue: 1.2,
  requestsPerMessage: 3,
  tickRssMb: 512,
  /** The pairings the RSS target is stated for; above it the figure is printed, not judged. */
  rssJudgedUpTo: 10_000,
  lambdaSeconds: 15 * 60,
} as const;

/** What an access path reads, in words, for the bound of a missed target. */
const PATH_WORDS: [RegExp, string][] = [
  [/GSI1 INSTITUTIONS$/, 'every institution'],
  [/GSI1 CONTACTS$/, 'every contact'],
  [/GSI1 PROGRAMMES$/, 'every programme'],
  [/GSI1 PROG PAIR$/, 'every pairing of the programme'],
  [/GSI1 PROG OBL$/, 'every obligation of the programme'],
  [/GSI1 PROG FWD$/, 'every forwarding of the programme'],
  [/GSI1 PROG SENT$/, "the day's reminder log"],
  [/GSI2 DUE$/, 'open obligations in the due-date window'],
  [/GSI2 FDUE$/, 'open forwardings in the due-date window'],
];

export function scalesOf(value: string | undefined): number[] {
  if (!value?.trim()) return DEFAULT_SCALES;
  const scales = value.split(',').map((s) => Number(s.trim()));
  if (scales.some((s) => !Number.isInteger(s) || s < 2))
    throw new RangeError(`${SCALES_ENV} must be pairings ≥ 2, comma-separated (e.g. 1000,10000): "${value}"`);
  return scales;
}

export async function benchScale(): Promise<Figures> {
  const rows: Record<string, string | number>[] = [];
  for (const pairings of scalesOf(process.env[SCALES_ENV])) rows.push(...(await oneScale(pairings)));
  return figures(rows);
}

interface TickFigures {
  day: string;
  counts: DynamoCounts;
  messages: number;
  due: number;
  ms: number;
  peakBeforeMb: number;
  peakAfterMb: number;
}

async function oneScale(pairings: number): Promise<Record<string, string | number>[]> {
  const plan = syntheticPlan({ pairings, seed: 1 });
  const input: SeedInput = {
    institutions: { name: 'synthetic/institutions.json', content: plan.institutions },
    programmes: [{ name: `synthetic/programmes/${plan.programme.id}.json`, content: plan.programme }],
  };
  const busyDay = busyDayOf(input);
  const home = await mkdtemp(join(tmpdir(), 'bangfu-bench-scale-'));
  const stack = await startEmbeddedStack({ home, persistent: false });
  let at = new Date();
  const wiring = createWiring(stack.config, { clock: () => at });
  const counter = countDynamoRequests(wiring.clients.documents);
  try {
    log(`  ${pairings} pairings: ${plan.counts.institutions} institutions, ${plan.counts.contacts} contacts`);
    let started = performance.now();
    await loadSeeds(wiring.store, input);
    const seedMs = performance.now() - started;
    log(`    seeded in ${Math.round(seedMs)} ms`);
    started = performance.now();
    await importRoster(wiring.store, { name: 'synthetic/roster/roster.csv', text: plan.roster });
    const rosterMs = performance.now() - started;
    log(`    roster imported in ${Math.round(rosterMs)} ms`);

    const tick = async (day: string): Promise<TickFigures> => {
      at = new Date(`${day}T09:00:00+08:00`);
      counter.reset();
      const peakBeforeMb = peakRssMb();
      const dayStarted = performance.now();
      const result = await runTick(wiring, at);
      const ms = performance.now() - dayStarted;
      if (result.failed.length > 0) throw new Error(`tick ${day}: ${result.failed.length} failed`);
      const figures = {
        day,
        counts: counter.counts(),
        messages: result.messages.length + result.published.messages.length,
        due: result.due + result.forwardings.due,
        ms,
        peakBeforeMb,
        peakAfterMb: peakRssMb(),
      };
      log(
        `    tick ${day}: ${figures.messages} messages, ${figures.counts.itemsRead} items read in ${Math.round(ms)} ms`,
      );
      return figures;
    };
    const scanBusy = await fullScanCount(wiring);
    const busy = await tick(busyDay);
    const rerun = await tick(busyDay);
    const scanQuiet = await fullScanCount(wiring);
    const quiet = await tick(QUIET_DAY);
    const maxSendRate = wiring.config.ses.maxSendRate;
    return judged(pairings, { seedMs, rosterMs, scanBusy, scanQuiet, busy, rerun, quiet, plan, maxSendRate });
  } finally {
    wiring.destroy();
    await stack.stop();
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * The T-3 send of the city-routed 2022 agreements: their due date is the hospitals' date, 5 working
 * days before the plan's 28 February (Fujian §三(一)); the most common such date if cities differ.
 */
export function busyDayOf(input: SeedInput): string {
  const planned = planSeeds(input);
  const directory = institutionDirectory(planned.institutions);
  const [entry] = planned.programmes;
  if (!entry) throw new Error('the synthetic plan has no programme');
  const byDate = new Map<string, number>();
  for (const pairing of entry.pairings) {
    for (const obligation of obligationsOfPairing(entry.programme, pairing, directory, prcCalendar)) {
      if (
        obligation.kind === 'agreement' &&
        obligation.collectorId !== entry.programme.provincialCommissionId
      )
        byDate.set(obligation.dueDate, (byDate.get(obligation.dueDate) ?? 0) + 1);
    }
  }
  const [dueDate] = [...byDate.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!dueDate) throw new Error('the synthetic plan has no city-routed agreement');
  const send = reminderSchedule(dueDate, entry.programme.reminderStages, prcCalendar).find((s) =>
    s.offsets.includes(-3),
  );
  if (!send) throw new Error('the programme has no T-3 stage');
  return send.sendOn;
}

/** Every item in the table, counted the way a tick without indexes would read it: a full Scan. */
async function fullScanCount(wiring: Wiring): Promise<number> {
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

/** The access paths that read the most, in words: what bounds a read figure. */
export function readBound(counts: DynamoCounts, top = 3): string {
  return Object.entries(counts.itemsByPath)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([path, items]) => {
      const words = PATH_WORDS.find(([pattern]) => pattern.test(path))?.[1];
      return `${path}${words ? ` (${words})` : ''}: ${items}`;
    })
    .join('; ');
}

const verdict = (passed: boolean) => (passed ? 'PASS' : 'MISS');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (count: number, ms: number) => (ms > 0 ? Math.round((count / ms) * 1000) : 0);

interface Measured {
  seedMs: number;
  rosterMs: number;
  scanBusy: number;
  scanQuiet: number;
  busy: TickFigures;
  rerun: TickFigures;
  quiet: TickFigures;
  plan: ReturnType<typeof syntheticPlan>;
  maxSendRate: number | undefined;
}

/** One row per figure: measured, its baseline, the target, PASS/MISS, and where missed what bounds it. */
function judged(pairings: number, m: Measured): Record<string, string | number>[] {
  const { busy, rerun, quiet } = m;
  const row = (
    figure: string,
    measured: string | number,
    baseline: string,
    target: string,
    passed: boolean | undefined,
    bound = '',
  ) => ({
    pairings,
    figure,
    measured,
    baseline,
    target,
    result: passed === undefined ? '-' : verdict(passed),
    'what bounds it': passed === false ? bound : '',
  });
  const busyLimit = Math.floor(busy.due * TARGET.busyItemsPerDue);
  const requestsPerMessage =
    busy.messages > 0 ? busy.counts.requests / busy.messages : Number.POSITIVE_INFINITY;
  const rssJudged = pairings <= TARGET.rssJudgedUpTo;
  const mailBound = `SES paced at ${m.maxSendRate} messages/s; ${busy.counts.requests} DynamoDB requests`;
  return [
    row(
      'seed (loadSeeds)',
      seconds(m.seedMs),
      `${m.plan.counts.institutions} institutions, ${pairings} pairings`,
      '',
      undefined,
    ),
    row('roster import', seconds(m.rosterMs), `${m.plan.counts.contacts} contacts`, '', undefined),
    row(
      `busy tick ${busy.day}: items read`,
      busy.counts.itemsRead,
      `full Scan ${m.scanBusy}; ${busy.due} due`,
      `≤ ${TARGET.busyItemsPerDue}× due (${busyLimit})`,
      busy.counts.itemsRead <= busyLimit,
      readBound(busy.counts),
    ),
    row(
      'busy tick: requests per message',
      Number.isFinite(requestsPerMessage) ? Math.round(requestsPerMessage * 100) / 100 : 'no messages',
      `${busy.counts.requests} requests, ${busy.messages} messages`,
      `≤ ${TARGET.requestsPerMessage}`,
      requestsPerMessage <= TARGET.requestsPerMessage,
      requestsByCommand(busy.counts),
    ),
    row(
      'busy tick: time',
      seconds(busy.ms),
      `${perSecond(busy.messages, busy.ms)} messages/s`,
      `≤ ${TARGET.lambdaSeconds / 60} min (one Lambda)`,
      busy.ms <= TARGET.lambdaSeconds * 1000,
      mailBound,
    ),
    row(
      'busy tick: peak RSS MB',
      busy.peakAfterMb,
      `+${busy.peakAfterMb - busy.peakBeforeMb} over the peak before it; stand-ins included`,
      rssJudged ? `≤ ${TARGET.tickRssMb} MB` : `(judged at ≤ ${TARGET.rssJudgedUpTo} pairings)`,
      rssJudged ? busy.peakAfterMb <= TARGET.tickRssMb : undefined,
      'the bench process holds dynalite, s3rver and the SES stand-in as well as the tick',
    ),
    row(
      'rerun of the busy day: messages',
      rerun.messages,
      `${rerun.counts.itemsRead} items read, ${rerun.counts.requests} requests`,
      '0 (nothing sent twice)',
      rerun.messages === 0,
      `${rerun.messages} messages went out a second time: the exactly-once records did not hold`,
    ),
    row(
      `quiet tick ${quiet.day}: items read`,
      quiet.counts.itemsRead,
      `full Scan ${m.scanQuiet}; ${quiet.due} due`,
      `≤ ${TARGET.quietItems}`,
      quiet.counts.itemsRead <= TARGET.quietItems,
      readBound(quiet.counts),
    ),
  ];
}

function requestsByCommand(counts: DynamoCounts): string {
  return Object.entries(counts.byCommand)
    .sort((a, b) => b[1] - a[1])
    .map(([command, n]) => `${command.replace(/Command$/, '')} ${n}`)
    .join(', ');
}
