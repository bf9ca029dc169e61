/**
 * `bangfu`: the command line for people and tests. Every command works whether or not `bangfu up`
 * is running: without it, the embedded stack starts in this process on the same BANGFU_HOME. With
 * `--aws` the data commands act on the deployment instead (functions/local/deployed.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createAwsClients } from '../adapters/aws-clients.ts';
import { type AppConfig, tuningFromEnv } from '../adapters/config.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import { pdfRenderers } from '../adapters/pdf/renderers.ts';
import { decodeExportedText } from '../adapters/text-file.ts';
import { createWiring, runTick } from '../composition/wiring.ts';
import { UserFacingError, userFacingError } from '../domain/errors.ts';
import { OBLIGATION_STATES } from '../domain/model.ts';
import { beijingDateTime, parseInstant, weekdayZh } from '../domain/plain-date.ts';
import { InputRejectedError } from '../domain/validation.ts';
import { importRoster } from '../use-cases/import-roster.ts';
import { loadSeeds, type SeedLoadResult } from '../use-cases/load-seeds.ts';
import type { SyncCounts } from '../use-cases/ports.ts';
import { type ObligationStatus, programmeStatus } from '../use-cases/programme-status.ts';
import type { PublishResult } from '../use-cases/publish-documents.ts';
import { REPORT_TYPES, type ReportType, renderReport } from '../use-cases/render-report.ts';
import type { TickResult } from '../use-cases/send-due-reminders.ts';
import { deployedConfig } from './deployed.ts';
import { LOCAL_STAFF_USER, localStaffPassword, StackStartError } from './embedded-stack.ts';
import { startLocalApp } from './local-app.ts';
import { formatOutbox, readOutbox } from './outbox.ts';
import { readSeedFiles, SHIPPED_SEEDS } from './seed-files.ts';
import { DEFAULT_API_PORT, runningStack, withStack } from './stack-session.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

export function homeOf(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(option ?? env.BANGFU_HOME ?? '.bangfu');
}

function withStore<T>(config: AppConfig, work: (store: DynamoStore) => Promise<T>): Promise<T> {
  const clients = createAwsClients(config);
  return work(new DynamoStore(clients.documents, config.tableName)).finally(() => clients.destroy());
}

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
};

const instant = (value: string) => {
  try {
    return parseInstant(value);
  } catch {
    throw new InvalidArgumentError(
      'must be an ISO date or instant, e.g. 2022-02-21 or 2022-02-21T09:00+08:00',
    );
  }
};

export function buildCli(io: CliIo = defaultIo): Command {
  const program = new Command('bangfu')
    .description('帮扶: reminders, uploads and reports for paired-assistance programmes')
    .option('--home <dir>', 'where local state lives (default: $BANGFU_HOME or ./.bangfu)')
    .option(
      '--aws',
      'act on the deployment on AWS (stack outputs, or BANGFU_TABLE and the rest in the environment) ' +
        'with your AWS credentials, instead of the local stack',
    )
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  const home = () => homeOf(program.opts<{ home?: string }>().home, io.env);
  const onAws = () => program.opts<{ aws?: boolean }>().aws === true;
  /** Runs `work` on the deployment (--aws) or on the local stack of `home`. */
  const onTarget = async <T>(
    work: (config: AppConfig) => Promise<T>,
    local: Parameters<typeof withStack>[2] = {},
  ): Promise<T> => {
    if (!onAws()) return withStack(home(), work, local);
    const config = await deployedConfig(io.env);
    io.err(`On AWS: table ${config.tableName}, bucket ${config.bucketName}, region ${config.region}`);
    return work(config);
  };
  const localOnly = (command: string, instead: string) => {
    if (onAws()) throw new LocalOnlyError(`${command} is local only; on AWS ${instead}`);
  };

  program
    .command('up')
    .description('start the embedded local AWS stack, load the plans and the demo roster, and keep running')
    .addOption(new Option('--dynamodb-port <port>', 'DynamoDB (dynalite) port').argParser(port).default(8000))
    .addOption(new Option('--s3-port <port>', 'S3 (s3rver) port').argParser(port).default(4568))
    .addOption(new Option('--ses-port <port>', 'SES (aws-ses-v2-local) port').argParser(port).default(8005))
    .addOption(
      new Option('--api-port <port>', 'upload and download pages (API Gateway on AWS)')
        .argParser(port)
        .default(DEFAULT_API_PORT),
    )
    .option('--no-demo-roster', 'do not import the demo roster')
    .option('--no-schedule', 'do not run the daily tick at 09:00 Beijing time')
    .action(
      async (options: {
        dynamodbPort: number;
        s3Port: number;
        sesPort: number;
        apiPort: number;
        demoRoster: boolean;
        schedule: boolean;
      }) => {
        localOnly('bangfu up', 'the functions run the same work (npx cdk deploy --all)');
        const dir = home();
        const running = await runningStack(dir);
        if (running) {
          throw new StackStartError(`bangfu is already running for ${dir} (pid ${running.pid})`);
        }
        io.out(`Starting the embedded stack (state in ${dir}) …`);
        const app = await startLocalApp({
          home: dir,
          ports: {
            dynamodb: options.dynamodbPort,
            s3: options.s3Port,
            ses: options.sesPort,
            api: options.apiPort,
          },
          demoRoster: options.demoRoster,
          schedule: options.schedule,
          env: io.env,
          log: io.out,
        });
        const stopped = new Promise<void>((done) => {
          const stop = async () => {
            io.out('Stopping …');
            await app.stop();
            io.out('Stopped.');
            done();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        const { endpoints, config } = app.stack;
        io.out(
          [
            formatSeedResult(app.seeds),
            ...(app.roster ? [`Demo roster: ${formatCounts(app.roster)}`] : []),
            'bangfu is up (loopback only):',
            `  DynamoDB  ${endpoints.dynamodb}  table ${config.tableName}`,
            `  S3        ${endpoints.s3}  bucket ${config.bucketName}`,
            `  SES       ${endpoints.ses}  (sent mail: ${endpoints.ses}/ or npx bangfu outbox)`,
            `  Uploads   ${endpoints.api}/u/…  (links in the reminder emails)`,
            `  Staff     ${endpoints.api}/staff/documents  (login ${LOCAL_STAFF_USER} / ${await localStaffPassword(dir)})`,
            app.nextTick
              ? `Daily tick at 09:00 Asia/Shanghai; next: ${beijingDateTime(app.nextTick)} Beijing time`
              : 'Daily tick not scheduled (--no-schedule); run one with: npx bangfu tick --at 2022-02-21T09:00+08:00',
            'Try: npx bangfu status --programme fj-2021 --at 2022-02-21',
            'Press Ctrl-C to stop.',
          ].join('\n'),
        );
        await stopped;
      },
    );

  program
    .command('seed')
    .description('load the plans (institutions, programmes, pairings, obligations); safe to repeat')
    .option('--dir <dir>', 'seed folder', SHIPPED_SEEDS)
    .action(async (options: { dir: string }) => {
      const input = await readSeedFiles(resolve(options.dir));
      const result = await onTarget((config) => withStore(config, (store) => loadSeeds(store, input)));
      io.out(formatSeedResult(result));
    });

  program
    .command('roster')
    .description('coordinators roster')
    .command('import')
    .argument('<file>', 'CSV with columns institution,role,name,email[,phone]')
    .description('import coordinators from CSV; the whole file is rejected if any row is bad')
    .action(async (file: string) => {
      const roster = await readRoster(file);
      const result = await onTarget((config) => withStore(config, (store) => importRoster(store, roster)));
      const encoding = roster.encoding === 'utf-8' ? '' : ` (read as ${roster.encoding.toUpperCase()})`;
      io.out(`Roster ${file}${encoding}: ${result.rows} contact(s); ${formatCounts(result)}`);
    });

  program
    .command('status')
    .description('every obligation of a programme with its due date and state')
    .requiredOption('--programme <id>', 'programme id, e.g. fj-2021 or js-2022')
    .addOption(new Option('--at <instant>', 'as of this instant (ISO); default now').argParser(instant))
    .option('--json', 'print JSON')
    .action(async (options: { programme: string; at?: Date; json?: boolean }) => {
      const at = options.at ?? new Date();
      const rows = await onTarget((config) =>
        withStore(config, (store) => programmeStatus(store, options.programme, at)),
      );
      io.out(options.json ? JSON.stringify(rows, null, 2) : formatStatus(options.programme, at, rows));
    });

  program
    .command('report')
    .description(
      'render a PDF: agreement status, annual summary, pairing dossier or pre-filled agreement form',
    )
    .addArgument(new Argument('<type>', 'document').choices(REPORT_TYPES))
    .requiredOption('--programme <id>', 'programme id, e.g. fj-2021')
    .option('--year <year>', 'plan year (annual summary)', (v) => {
      if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('must be a year, e.g. 2022');
      return Number(v);
    })
    .option('--pairing <id>', 'pairing id (dossier, form), e.g. fj-2021.fj-songxi-county-hospital')
    .addOption(new Option('--at <instant>', 'as of this instant (ISO); default now').argParser(instant))
    .option('--out <file>', 'where to write the PDF (default: its standard name in this folder)')
    .action(
      async (
        type: ReportType,
        options: { programme: string; year?: number; pairing?: string; at?: Date; out?: string },
      ) => {
        const now = new Date();
        const report = await onTarget((config) =>
          withStore(config, (store) =>
            renderReport(
              store,
              {
                type,
                programmeId: options.programme,
                ...(options.year !== undefined ? { year: options.year } : {}),
                ...(options.pairing ? { pairingId: options.pairing } : {}),
                at: options.at ?? now,
                generatedAt: now,
              },
              pdfRenderers,
            ),
          ),
        );
        const out = resolve(options.out ?? report.filename);
        await writeFile(out, report.pdf);
        io.out(`${report.title}: ${out} (${(report.pdf.length / 1024).toFixed(1)} KB)`);
      },
    );

  program
    .command('tick')
    .description(
      'run the daily reminder tick as of an instant (default now): sends what is due that Beijing day',
    )
    .addOption(
      new Option('--at <instant>', 'as of this instant (ISO), e.g. 2022-02-21T09:00+08:00').argParser(
        instant,
      ),
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: { at?: Date; json?: boolean }) => {
      const at = options.at ?? new Date();
      const result = await onTarget(
        async (config) => {
          const wiring = createWiring(config);
          try {
            return await runTick(wiring, at, {
              onProgress: options.json
                ? undefined
                : ({ programmeId, done, total }) => {
                    if (done === total || done % 25 === 0)
                      io.err(`  ${programmeId}: ${done}/${total} obligations`);
                  },
            });
          } finally {
            wiring.destroy();
          }
        },
        {
          tuning: tuningFromEnv(io.env),
          ...(io.env.BANGFU_PUBLIC_URL ? { publicUrl: io.env.BANGFU_PUBLIC_URL } : {}),
        },
      );
      io.out(options.json ? JSON.stringify(result, null, 2) : formatTick(result));
      const failed = result.failed.length + result.published.failed.length;
      if (failed > 0) throw new TickFailedError(failed);
    });

  program
    .command('outbox')
    .description('every message the local SES received for this home, oldest first (no stack needed)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      localOnly('bangfu outbox', 'SES keeps no copy of sent mail: see the tick log group and SES events');
      const messages = await readOutbox(home());
      io.out(options.json ? JSON.stringify(messages, null, 2) : formatOutbox(messages));
    });

  return program;
}

async function readRoster(file: string) {
  try {
    return { name: file, ...decodeExportedText(await readFile(file)) };
  } catch (error) {
    throw new InputRejectedError('roster', [{ file, field: '(file)', message: (error as Error).message }]);
  }
}

class LocalOnlyError extends userFacingError('local-only') {
  override readonly name = 'LocalOnlyError';
}

class TickFailedError extends userFacingError('tick-failed') {
  override readonly name = 'TickFailedError';
  constructor(count: number) {
    super(`${count} message(s) could not be sent and were left for the next run`);
  }
}

function formatTick(r: TickResult & { published: PublishResult }): string {
  const lines = [
    `Tick ${r.day} (${weekdayZh(r.day)}): ${r.due} obligation(s) due a reminder; ${r.messages.length} message(s) sent, ${r.alreadySent} address(es) already done`,
    ...r.messages.map(
      (m) =>
        `  sent ${m.stage.padEnd(8)} ${m.obligationId}  to ${m.to.join(', ')}${m.cc.length ? `  cc ${m.cc.join(', ')}` : ''}`,
    ),
    ...r.rejected.map((x) => `  REJECTED ${x.email} (${x.obligationId} ${x.stage}): ${x.reason}`),
    ...r.suppressed.map((x) => `  skipped ${x.email}, rejected earlier: ${x.reason}`),
    ...r.noContacts.map((x) => `  no coordinator on the roster for ${x.institution} (${x.obligationId})`),
    ...r.failed.map((x) => `  FAILED ${x.obligationId} ${x.stage}: ${x.error}`),
    ...r.unconfirmed.map(
      (x) =>
        `  UNCONFIRMED ${x.email} (${x.obligationId} ${x.stage}): handed to SES by a run that died; check the SES log`,
    ),
    ...r.published.documents.map((d) => `  document ${d.title} (${d.id})`),
    ...r.published.messages.map(
      (m) =>
        `  sent ${m.kind} ${m.trace} to ${m.to.join(', ')}${m.cc.length ? `  cc ${m.cc.join(', ')}` : ''}`,
    ),
    ...r.published.suppressed.map(
      (x) => `  skipped ${x.email} (${x.kind} ${x.trace}), rejected earlier: ${x.reason}`,
    ),
    ...r.published.failed.map((e) => `  FAILED staff mail: ${e}`),
    ...r.published.unconfirmed.map(
      (x) =>
        `  UNCONFIRMED ${x.email} (${x.kind} ${x.trace}): handed to SES by a run that died; check the SES log`,
    ),
  ];
  return lines.join('\n');
}

function formatCounts(c: SyncCounts): string {
  return `${c.created} new, ${c.updated} changed, ${c.unchanged} unchanged`;
}

function formatSeedResult(result: SeedLoadResult): string {
  return [
    `Institutions: ${formatCounts(result.institutions)}`,
    ...result.programmes.map(
      (p) =>
        `Programme ${p.id}: pairings ${formatCounts(p.pairings)}; obligations ${formatCounts(p.obligations)}`,
    ),
  ].join('\n');
}

const STATE_ZH: Record<(typeof OBLIGATION_STATES)[number], string> = {
  upcoming: '未开始',
  open: '进行中',
  submitted: '已按时提交',
  late: '逾期提交',
  overdue: '已逾期',
  returned: '已退回',
  accepted: '已通过',
  exempt: '已豁免',
};

function formatStatus(programme: string, at: Date, rows: ObligationStatus[]): string {
  const counts = OBLIGATION_STATES.map((s) => [s, rows.filter((r) => r.state === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const lines = rows.map((r) => {
    const supporters = r.supporters.map((s) => (s === r.lead ? `${s}（牵头）` : s)).join('、');
    return [
      `${r.effectiveDueDate} ${weekdayZh(r.effectiveDueDate)}`,
      r.state.padEnd(9),
      STATE_ZH[r.state],
      `${r.kindTitle} ${r.year}`,
      `${r.recipient} ← ${supporters}`,
    ].join('  ');
  });
  return [
    `${programme} as of ${beijingDateTime(at)} Beijing time: ${rows.length} obligations (${counts})`,
    ...lines,
  ].join('\n');
}

/** Runs the CLI; resolves to the process exit code. */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  return runProgram(buildCli(io), argv, io);
}

/**
 * Runs `program` on `argv` and resolves to the exit code: 0 when it finished, 2 for a usage error
 * (commander has printed it; an InvalidArgumentError from an argument parser is one), 1 for an error
 * a person can act on (a UserFacingError, whatever its name: its message, no stack trace), and 70
 * (EX_SOFTWARE) for anything else, with its stack.
 */
export async function runProgram(program: Command, argv: string[], io: CliIo): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UserFacingError) {
      io.err(`bangfu: ${error.message}`);
      return 1;
    }
    const e = error as Error;
    io.err(`bangfu: unexpected error: ${e.stack ?? e.message}`);
    return 70;
  }
}
