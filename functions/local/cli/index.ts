/**
 * `bangfu`: the command line for people and tests. Every command works whether or not `bangfu up`
 * is running: without it, the embedded stack starts in this process on the same BANGFU_HOME. With
 * `--aws` the data commands act on the deployment instead (functions/local/deployed.ts). Each
 * command is a module in commands/, the text it prints is in format.ts.
 */
import { Command, CommanderError } from 'commander';
import { UserFacingError } from '../../domain/errors.ts';
import { addAdminCommands } from './commands/admin.ts';
import { addClockCommand } from './commands/clock.ts';
import { addDemoCommand } from './commands/demo.ts';
import { addForwardCommands } from './commands/forward.ts';
import { addOutboxCommand } from './commands/outbox.ts';
import { addReportCommand } from './commands/report.ts';
import { addRosterCommand } from './commands/roster.ts';
import { addSeedCommand } from './commands/seed.ts';
import { addStaffCommands } from './commands/staff.ts';
import { addStatusCommand } from './commands/status.ts';
import { addTickCommand } from './commands/tick.ts';
import { addUpCommand } from './commands/up.ts';
import { cliContext } from './context.ts';
import { type CliIo, defaultIo } from './io.ts';

export { homeOf } from './context.ts';
export type { CliIo } from './io.ts';

/** The commands in the order `bangfu --help` lists them. */
const COMMANDS = [
  addUpCommand,
  addSeedCommand,
  addRosterCommand,
  addStatusCommand,
  addReportCommand,
  addTickCommand,
  addClockCommand,
  addOutboxCommand,
  addStaffCommands,
  addForwardCommands,
  addAdminCommands,
  addDemoCommand,
];

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
  // Each command is added with program.command(), so it inherits the output and exit settings above.
  const cli = cliContext(program, io);
  for (const addCommand of COMMANDS) addCommand(program, cli);
  return program;
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
