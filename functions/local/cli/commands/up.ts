/** `bangfu up`: the embedded local stack, kept running until Ctrl-C. */
import { type Command, Option } from 'commander';
import { beijingDateTime } from '../../../domain/plain-date.ts';
import { StackStartError } from '../../embedded-stack.ts';
import { startLocalApp } from '../../local-app.ts';
import { clearSimulatedNow, homeClock, setSimulatedNow } from '../../simulated-clock.ts';
import { DEFAULT_API_PORT, DEFAULT_OIDC_PORT, runningStack } from '../../stack-session.ts';
import { instant, port } from '../arguments.ts';
import type { CliContext } from '../context.ts';
import { formatCounts, formatSeedResult, formatStaffAccounts } from '../format.ts';

export function addUpCommand(program: Command, { io, home, localOnly }: CliContext): void {
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
    .addOption(
      new Option('--oidc-port <port>', 'staff sign-in, OpenID Connect (Cognito managed login on AWS)')
        .argParser(port)
        .default(DEFAULT_OIDC_PORT),
    )
    .option('--no-demo-roster', 'do not import the demo roster')
    .option('--no-schedule', 'do not run the daily tick at 09:00 Beijing time')
    .addOption(
      new Option(
        '--at <instant>',
        'start with a simulated clock at this instant (ISO), shared by every command on this home',
      )
        .argParser(instant)
        .conflicts('realTime'),
    )
    .option('--real-time', 'drop the simulated clock of this home and run on the wall clock')
    .action(
      async (options: {
        dynamodbPort: number;
        s3Port: number;
        sesPort: number;
        apiPort: number;
        oidcPort: number;
        demoRoster: boolean;
        schedule: boolean;
        at?: Date;
        realTime?: boolean;
      }) => {
        localOnly('bangfu up', 'the functions run the same work (npx cdk deploy --all)');
        const dir = home();
        const running = await runningStack(dir);
        if (running) {
          throw new StackStartError(`bangfu is already running for ${dir} (pid ${running.pid})`);
        }
        // Without --at an existing clock.json stays: a replayed home opens at its outcome.
        if (options.at) await setSimulatedNow(dir, options.at);
        if (options.realTime) await clearSimulatedNow(dir);
        io.out(`Starting the embedded stack (state in ${dir}) …`);
        const app = await startLocalApp({
          home: dir,
          ports: {
            dynamodb: options.dynamodbPort,
            s3: options.s3Port,
            ses: options.sesPort,
            api: options.apiPort,
            oidc: options.oidcPort,
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
        const { endpoints, config, staffAccounts } = app.stack;
        const simulated = homeClock(dir).simulatedNow();
        io.out(
          [
            formatSeedResult(app.seeds),
            ...(app.roster ? [`Demo roster: ${formatCounts(app.roster)}`] : []),
            'bangfu is up (loopback only):',
            `  DynamoDB  ${endpoints.dynamodb}  table ${config.tableName}`,
            `  S3        ${endpoints.s3}  bucket ${config.bucketName}`,
            `  SES       ${endpoints.ses}  (sent mail: ${endpoints.ses}/ or npx bangfu outbox)`,
            `  Uploads   ${endpoints.api}/u/…  (links in the reminder emails)`,
            `  Console   ${endpoints.api}/staff/  (staff sign in with a demo account below)`,
            `  Sign-in   ${endpoints.oidc}  (OpenID Connect provider, in Cognito's place)`,
            'Demo staff accounts (local only; the passwords stay the same for this BANGFU_HOME):',
            formatStaffAccounts(staffAccounts),
            ...(simulated
              ? [
                  `Simulated now: ${beijingDateTime(simulated)} Beijing time (the console, every command ` +
                    'and ingest use it; move it in the console or with npx bangfu clock next-day; ' +
                    'npx bangfu up --real-time drops it)',
                ]
              : []),
            simulated && app.nextTick
              ? 'Daily tick: runs for each simulated day passed when the clock is moved (not on the wall clock)'
              : app.nextTick
                ? `Daily tick at 09:00 Asia/Shanghai; next: ${beijingDateTime(app.nextTick)} Beijing time`
                : 'Daily tick not scheduled (--no-schedule); run one with: npx bangfu tick --at 2022-02-21T09:00+08:00',
            'Try: npx bangfu status --programme fj-2021 --at 2022-02-21',
            'Press Ctrl-C to stop.',
          ].join('\n'),
        );
        await stopped;
      },
    );
}
