/**
 * The daily tick at scale: for each scale in `BANGFU_BENCH_SCALES` (pairings, comma-separated, default
 * 1000; e.g. `BANGFU_BENCH_SCALES=1000,10000`) a synthetic Fujian-shaped programme (synthetic/) on
 * fresh stand-ins, each step in a Node process of its own (children.ts, step.ts), so every memory
 * figure is that step's, the stand-ins' apart:
 *
 * 1. seed and roster: `loadSeeds` and `importRoster`, the paths `bangfu seed` and `bangfu roster
 *    import` take;
 * 2. the busy day (the T-3 send of the city-routed 2022 agreements, due 5 working days before the
 *    plan's 28 February, Fujian §三(一)), the same day again (nothing left to send) and a quiet day in
 *    July, each beside a full Scan of the same table. The table is fresh, so the busy day also sends
 *    the earlier stages the tick catches up on (every obligation in its window): the heaviest first day;
 * 3. a Monday of the same deadline: reminders, and every commission's weekly digest with the current
 *    status PDF (publish-documents.ts: the first working day of a week while a deadline is open);
 * 4. the annual summary PDF through the renderer the console and the tick use, beside a floor (bare
 *    pdfkit writing the same rows in the same font), and each page's text, so no page is near-empty.
 *
 * DynamoDB requests are counted by a middleware on the step's own client (dynamo-counter.ts). Every
 * figure carries its baseline and target, PASS or MISS; a miss names what bounds it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appConfigSchema } from '../../functions/adapters/config.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import { addDays, weekday } from '../../functions/domain/plain-date.ts';
import { reminderSchedule } from '../../functions/domain/reminder-schedule.ts';
import { obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { planSeeds, type SeedInput } from '../../functions/use-cases/load-seeds.ts';
import { REPO_ROOT } from '../../infra/defaults.ts';
import { runStep, startStandIns } from './children.ts';
import type { DynamoCounts } from './dynamo-counter.ts';
import { figures, type JudgedFigures, type JudgedRow, judge, log, perSecond, seconds } from './figures.ts';
import type { StepOutput } from './step.ts';
import { SYNTHETIC_PROGRAMME_ID, syntheticPlan } from './synthetic/synthetic-plan.ts';

const run = promisify(execFile);

export const SCALES_ENV = 'BANGFU_BENCH_SCALES';
const DEFAULT_SCALES = [1000];
/** Set to keep each scale's annual summary and floor PDFs for a person to look at. */
const KEEP_ENV = 'BANGFU_BENCH_KEEP';
/** A Wednesday in July: no stage of any obligation or forwarding falls near it. */
const QUIET_DAY = '2022-07-13';
/** The annual summary of 2022 as the tick publishes it: the day after the plan's 10 December, Fujian §三(二). */
const ANNUAL_YEAR = 2022;
const ANNUAL_AT = '2022-12-11T09:00:00+08:00';
/** A page with less text than this, running head and foot apart, is near-empty. */
const NEAR_EMPTY_CHARACTERS = 40;

/** The issue's targets. */
const TARGET = {
  quietItems: 10,
  busyItemsPerDue: 1.2,
  requestsPerMessage: 3,
  tickRssMb: 512,
  /** The pairings the RSS target is stated for; above it the figure is printed, not judged. */
  rssJudgedUpTo: 10_000,
  lambdaSeconds: 15 * 60,
  pdfTimesFloor: 2,
  nearEmptyPages: 0,
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
  [/^UpdateItem PAIR SENT$/, "a message's claim and its outcome"],
  [/^PutItem PAIR LINK$/, 'the first issue of an upload link, once per obligation and institution'],
];

/** SES's sending rate on an AWS account that has not asked for more (the config's default). */
const SES_DEFAULT_RATE = appConfigSchema.shape.ses.parse(undefined).maxSendRate;

export function scalesOf(value: string | undefined): number[] {
  if (!value?.trim()) return DEFAULT_SCALES;
  const scales = value.split(',').map((s) => Number(s.trim()));
  if (scales.some((s) => !Number.isInteger(s) || s < 2))
    throw new RangeError(`${SCALES_ENV} must be pairings ≥ 2, comma-separated (e.g. 1000,10000): "${value}"`);
  return scales;
}

export async function benchScale(): Promise<JudgedFigures> {
  const lambdaMemoryMb = await tickLambdaMemoryMb();
  const rows: JudgedRow[] = [];
  for (const pairings of scalesOf(process.env[SCALES_ENV]))
    rows.push(...(await oneScale(pairings, lambdaMemoryMb)));
  return { ...figures(rows), judged: rows };
}

/** The Tick Lambda's configured memory, as infra/constructs/scheduled-tick.ts gives it to CDK. */
export async function tickLambdaMemoryMb(): Promise<number> {
  const source = await readFile(join(REPO_ROOT, 'infra', 'constructs', 'scheduled-tick.ts'), 'utf8');
  const found = /new BangfuFunction\(scope, 'Tick',[\s\S]*?memorySize:\s*([\d_]+)/.exec(source)?.[1];
  if (!found) throw new Error('infra/constructs/scheduled-tick.ts: no memorySize on the Tick function');
  return Number(found.replaceAll('_', ''));
}

type Tick = StepOutput<'tick'>;

interface Measured {
  lambdaMemoryMb: number;
  idleRssMb: number;
  standInsRssMb: number;
  seed: StepOutput<'seed'>;
  busy: Tick;
  rerun: Tick;
  quiet: Tick;
  monday: Tick;
  pdf: StepOutput<'pdf'> & { pages: number; nearEmpty: number[] };
  floor: StepOutput<'floor'> & { pages: number };
  plan: ReturnType<typeof syntheticPlan>;
  maxSendRate: number | undefined;
}

async function oneScale(pairings: number, lambdaMemoryMb: number): Promise<JudgedRow[]> {
  const plan = syntheticPlan({ pairings, seed: 1 });
  const input: SeedInput = {
    institutions: { name: 'synthetic/institutions.json', content: plan.institutions },
    programmes: [{ name: `synthetic/programmes/${plan.programme.id}.json`, content: plan.programme }],
  };
  const busyDay = busyDayOf(input);
  const mondayDay = mondayOf(input, busyDay);
  const dir = await mkdtemp(join(tmpdir(), 'bangfu-bench-scale-'));
  log(`  ${pairings} pairings: ${plan.counts.institutions} institutions, ${plan.counts.contacts} contacts`);
  const standIns = await startStandIns();
  let standInsRssMb: number | undefined;
  try {
    const { config } = standIns;
    const idle = await runStep({ step: 'idle', config });
    const seed = await runStep({ step: 'seed', config, pairings });
    log(`    seeded in ${Math.round(seed.seedMs)} ms, roster in ${Math.round(seed.rosterMs)} ms`);
    const tick = async (day: string, label: string) => {
      const figures = await runStep({ step: 'tick', config, day });
      if (figures.failed > 0) throw new Error(`tick ${day}: ${figures.failed} failed`);
      log(
        `    ${label} ${day}: ${figures.messages} messages, ${figures.counts.itemsRead} items read in ${Math.round(figures.ms)} ms, ${figures.peakRssMb} MB`,
      );
      return figures;
    };
    const busy = await tick(busyDay, 'busy tick');
    const rerun = await tick(busyDay, 'rerun');
    const quiet = await tick(QUIET_DAY, 'quiet tick');
    const monday = await tick(mondayDay, 'Monday');
    const files = {
      pdfFile: join(dir, 'annual.pdf'),
      rowsFile: join(dir, 'annual-rows.json'),
      floorFile: join(dir, 'floor.pdf'),
    };
    const pdf = await runStep({
      step: 'pdf',
      config,
      programmeId: SYNTHETIC_PROGRAMME_ID,
      year: ANNUAL_YEAR,
      at: ANNUAL_AT,
      pdfFile: files.pdfFile,
      rowsFile: files.rowsFile,
    });
    const floor = await runStep({ step: 'floor', rowsFile: files.rowsFile, pdfFile: files.floorFile });
    const pdfPages = await pageTexts(files.pdfFile);
    const floorPages = await pageTexts(files.floorFile);
    log(
      `    annual summary: ${pdfPages.length} pages in ${Math.round(pdf.renderMs)} ms; floor ${floorPages.length} pages in ${Math.round(floor.ms)} ms`,
    );
    standInsRssMb = await standIns.stop();
    return judged(pairings, {
      lambdaMemoryMb,
      idleRssMb: idle.peakRssMb,
      standInsRssMb,
      seed,
      busy,
      rerun,
      quiet,
      monday,
      pdf: { ...pdf, pages: pdfPages.length, nearEmpty: nearEmptyPages(pdfPages) },
      floor: { ...floor, pages: floorPages.length },
      plan,
      maxSendRate: config.ses.maxSendRate,
    });
  } finally {
    // A step that failed leaves the stand-ins running: stop them, the step's error is the one to see.
    if (standInsRssMb === undefined) await standIns.stop().catch(() => 0);
    if (process.env[KEEP_ENV]) log(`    the PDFs are kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

interface PlannedSend {
  sendOn: string;
  count: number;
}

/** Per day, how many 2022 agreements of the city-routed pairings have a reminder stage sent on it. */
function agreementSendsOf(input: SeedInput, cityRoutedOnly: boolean): Map<string, PlannedSend> {
  const planned = planSeeds(input);
  const directory = institutionDirectory(planned.institutions);
  const [entry] = planned.programmes;
  if (!entry) throw new Error('the synthetic plan has no programme');
  const sends = new Map<string, PlannedSend>();
  for (const pairing of entry.pairings) {
    for (const obligation of obligationsOfPairing(entry.programme, pairing, directory, prcCalendar)) {
      if (obligation.kind !== 'agreement') continue;
      if (cityRoutedOnly && obligation.collectorId === entry.programme.provincialCommissionId) continue;
      for (const send of reminderSchedule(obligation.dueDate, entry.programme.reminderStages, prcCalendar)) {
        const day = sends.get(send.sendOn) ?? { sendOn: send.sendOn, count: 0 };
        day.count++;
        sends.set(send.sendOn, day);
      }
    }
  }
  return sends;
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

/** Monday, or the week's first working day when Monday is off: when the weekly digests go out. */
const isFirstWorkingDayOfWeek = (day: string) => {
  if (!prcCalendar.isWorkingDay(day)) return false;
  for (let d = addDays(day, -((weekday(day) + 6) % 7)); d < day; d = addDays(d, 1))
    if (prcCalendar.isWorkingDay(d)) return false;
  return true;
};

/**
 * The Monday after the busy day with the most 2022 agreements sent a reminder stage: the agreement
 * deadline is open (Fujian §三(一), 1 January to 28 February), so every commission's digest goes out
 * beside the reminders.
 */
export function mondayOf(input: SeedInput, after: string): string {
  const [monday] = [...agreementSendsOf(input, false).values()]
    .filter((send) => send.sendOn > after && isFirstWorkingDayOfWeek(send.sendOn))
    .sort((a, b) => b.count - a.count || a.sendOn.localeCompare(b.sendOn));
  if (!monday) throw new Error(`the synthetic plan sends no agreement reminder on a Monday after ${after}`);
  return monday.sendOn;
}

/** Each page's text, as poppler's pdftotext extracts it (a form feed ends each page). */
async function pageTexts(file: string): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 512 * 1024 * 1024 });
  const pages = stdout.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/**
 * The pages (1-based) whose own text is under NEAR_EMPTY_CHARACTERS, white space aside. The running
 * head and foot are not a page's own: lines found once on a page, among its first or last three,
 * on nearly every page (all but one), page numbers aside. A table's cells repeat within a page, so
 * they are never taken for the running head.
 */
export function nearEmptyPages(pages: string[]): number[] {
  const shape = (line: string) => line.trim().replace(/\d+/g, '#');
  const linesOf = (page: string) => page.split('\n').filter((line) => line.trim() !== '');
  const edges = new Map<string, number>();
  for (const page of pages) {
    const lines = linesOf(page).map(shape);
    const once = (line: string) => lines.indexOf(line) === lines.lastIndexOf(line);
    for (const line of new Set([...lines.slice(0, 3), ...lines.slice(-3)].filter(once)))
      edges.set(line, (edges.get(line) ?? 0) + 1);
  }
  const furniture = new Set(
    [...edges].filter(([, n]) => pages.length >= 3 && n >= pages.length - 1).map(([line]) => line),
  );
  return pages.flatMap((page, i) => {
    const own = linesOf(page)
      .filter((line) => !furniture.has(shape(line)))
      .join('')
      .replace(/\s/g, '');
    return [...own].length < NEAR_EMPTY_CHARACTERS ? [i + 1] : [];
  });
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

const minutesAt = (messages: number, rate: number) => `${(messages / rate / 60).toFixed(1)} min`;

/** One row per figure: measured, its baseline, the target, PASS/MISS, and where missed what bounds it. */
function judged(pairings: number, m: Measured): JudgedRow[] {
  const { busy, rerun, quiet, monday, pdf, floor } = m;
  const row = judge('scale', pairings);
  const busyLimit = Math.floor(busy.due * TARGET.busyItemsPerDue);
  const mondayRequestsPerMessage =
    monday.messages > 0
      ? Math.round((monday.counts.requests / monday.messages) * 100) / 100
      : Number.POSITIVE_INFINITY;
  const requestsPerMessage =
    busy.messages > 0 ? busy.counts.requests / busy.messages : Number.POSITIVE_INFINITY;
  const rssJudged = pairings <= TARGET.rssJudgedUpTo;
  const rssTarget = rssJudged ? `≤ ${TARGET.tickRssMb} MB` : `(judged at ≤ ${TARGET.rssJudgedUpTo} pairings)`;
  const rssBaseline = `Tick Lambda ${m.lambdaMemoryMb} MB; a process with the tick's modules only ${m.idleRssMb} MB`;
  const rssBound = (tick: Tick) =>
    `${m.idleRssMb} MB the modules, +${tick.peakRssMb - m.idleRssMb} MB the day's records and messages (${tick.counts.itemsRead} items read)`;
  const mailBound = (tick: Tick) =>
    `SES paced at ${m.maxSendRate} messages/s; ${tick.counts.requests} DynamoDB requests (${requestsByCommand(tick.counts)})`;
  const lambdaTarget = `≤ ${TARGET.lambdaSeconds / 60} min (one Lambda)`;
  const pdfLimit = floor.ms * TARGET.pdfTimesFloor;
  return [
    row(
      'seed (loadSeeds)',
      seconds(m.seed.seedMs),
      `${m.seed.institutions} institutions, ${pairings} pairings`,
      '',
      undefined,
    ),
    row('roster import', seconds(m.seed.rosterMs), `${m.seed.contacts} contacts`, '', undefined),
    row(
      `busy tick ${busy.day}: items read`,
      busy.counts.itemsRead,
      `full Scan ${busy.scan}; ${busy.due} due`,
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
      requestBound(busy.counts),
    ),
    row(
      'busy tick: time',
      seconds(busy.ms),
      `${busy.messages} messages; at SES's default ${SES_DEFAULT_RATE}/s ${minutesAt(busy.messages, SES_DEFAULT_RATE)}`,
      lambdaTarget,
      busy.ms <= TARGET.lambdaSeconds * 1000,
      mailBound(busy),
    ),
    row(
      'busy tick: messages per second',
      perSecond(busy.messages, busy.ms),
      `the SES stand-in paces at ${m.maxSendRate}/s`,
      '',
      undefined,
    ),
    row(
      'busy tick: peak RSS MB',
      busy.peakRssMb,
      rssBaseline,
      rssTarget,
      rssJudged ? busy.peakRssMb <= TARGET.tickRssMb : undefined,
      rssBound(busy),
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
      `full Scan ${quiet.scan}; ${quiet.due} due`,
      `≤ ${TARGET.quietItems}`,
      quiet.counts.itemsRead <= TARGET.quietItems,
      readBound(quiet.counts),
    ),
    row(
      `Monday ${monday.day}: time`,
      seconds(monday.ms),
      `${monday.messages} messages; at SES's default ${SES_DEFAULT_RATE}/s ${minutesAt(monday.messages, SES_DEFAULT_RATE)}`,
      `${lambdaTarget}, or fanned out`,
      monday.ms <= TARGET.lambdaSeconds * 1000,
      mailBound(monday),
    ),
    row(
      'Monday: messages',
      monday.messages,
      `${monday.reminders} reminders, ${monday.digests} digests, ${monday.documentNotices} document notices; ${monday.documents} PDFs; ${monday.counts.itemsRead} items read (full Scan ${monday.scan})`,
      'reminders and digests',
      monday.digests > 0 && monday.reminders > 0,
      `${monday.reminders} reminders and ${monday.digests} digests: the day is not the Monday it was picked as`,
    ),
    row(
      'Monday: requests per message',
      mondayRequestsPerMessage,
      `${monday.counts.requests} requests, ${monday.messages} messages (the reminders' upload links already issued on the busy day)`,
      `≤ ${TARGET.requestsPerMessage}`,
      mondayRequestsPerMessage <= TARGET.requestsPerMessage,
      requestBound(monday.counts),
    ),
    row(
      'Monday: peak RSS MB',
      monday.peakRssMb,
      rssBaseline,
      rssTarget,
      rssJudged ? monday.peakRssMb <= TARGET.tickRssMb : undefined,
      rssBound(monday),
    ),
    row(
      'annual summary PDF: render time',
      seconds(pdf.renderMs),
      `floor ${seconds(floor.ms)} (bare pdfkit, same ${pdf.rows} rows, same font); with the reads ${seconds(pdf.totalMs)}`,
      `≤ ${TARGET.pdfTimesFloor}× floor (${seconds(pdfLimit)})`,
      pdf.renderMs <= pdfLimit,
      `the layout: ${pdf.pages} pages against the floor's ${floor.pages}, ${(pdf.renderMs / floor.ms).toFixed(1)}× its time`,
    ),
    row(
      'annual summary PDF: peak RSS MB',
      pdf.peakRssMb,
      `floor ${floor.peakRssMb} MB; Tick Lambda ${m.lambdaMemoryMb} MB (the tick publishes it)`,
      `≤ ${m.lambdaMemoryMb} MB`,
      pdf.peakRssMb <= m.lambdaMemoryMb,
      `floor ${floor.peakRssMb} MB: the font and pdfkit; the rest the records and the layout`,
    ),
    row(
      'annual summary PDF: size KB',
      Math.round(pdf.bytes / 1024),
      `floor ${Math.round(floor.bytes / 1024)} KB`,
      '',
      undefined,
    ),
    row(
      'annual summary PDF: near-empty pages',
      pdf.nearEmpty.length,
      `${pdf.pages} pages (floor ${floor.pages}); near-empty: under ${NEAR_EMPTY_CHARACTERS} characters of its own`,
      `${TARGET.nearEmptyPages}`,
      pdf.nearEmpty.length <= TARGET.nearEmptyPages,
      `pages ${pdf.nearEmpty.join(', ')}`,
    ),
    row(
      'stand-ins: peak RSS MB',
      m.standInsRssMb,
      'dynalite, s3rver and the SES stand-in in a process of their own: in no figure above',
      '',
      undefined,
    ),
  ];
}

/** The access paths that made the most requests, in words: what bounds requests per message. */
function requestBound(counts: DynamoCounts, top = 3): string {
  return Object.entries(counts.requestsByPath ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([path, requests]) => {
      const words = PATH_WORDS.find(([pattern]) => pattern.test(path))?.[1];
      return `${path}${words ? ` (${words})` : ''}: ${requests}`;
    })
    .join('; ');
}

function requestsByCommand(counts: DynamoCounts): string {
  return Object.entries(counts.byCommand)
    .sort((a, b) => b[1] - a[1])
    .map(([command, n]) => `${command.replace(/Command$/, '')} ${n}`)
    .join(', ');
}
