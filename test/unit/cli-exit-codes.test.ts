import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/adapters/config.ts';
import { ConcurrentChangeError, ItemTooLargeError } from '../../functions/adapters/dynamo-store.ts';
import { UserFacingError, userFacingError } from '../../functions/domain/errors.ts';
import { InputRejectedError } from '../../functions/domain/validation.ts';
import { CalendarNotPublishedError } from '../../functions/domain/working-days.ts';
import { type CliIo, runCli, runProgram } from '../../functions/local/cli/index.ts';
import { StackStartError } from '../../functions/local/embedded-stack.ts';
import { OutboxDamagedError } from '../../functions/local/outbox.ts';
import { UnknownProgrammeError } from '../../functions/use-cases/programme-status.ts';
import { ReportRequestError } from '../../functions/use-cases/render-report.ts';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {} };
}

/** A program whose one command throws `error`, run the way `runCli` runs `bangfu`. */
function failingWith(error: unknown, io: CliIo): Command {
  const program = new Command('bangfu')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  program.command('fail').action(() => {
    throw error;
  });
  return program;
}

class ArchiveSealedError extends userFacingError('archive-sealed') {
  override readonly name = 'ArchiveSealedError';
}

describe('the exit code of bangfu', () => {
  it('exits 1 with the message alone for a user-facing error the CLI has never heard of', async () => {
    const io = capture();
    const code = await runProgram(
      failingWith(new ArchiveSealedError('the 2021 archive is sealed'), io),
      ['fail'],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderr).toEqual(['bangfu: the 2021 archive is sealed']);
  });

  it('exits 1 with the message alone for a user-facing error whose class was renamed', async () => {
    const io = capture();
    const renamed = new OutboxDamagedError('outbox.jsonl line 3 is not JSON');
    Object.defineProperty(renamed, 'name', { value: 'MailLogDamagedError' });
    const code = await runProgram(failingWith(renamed, io), ['fail'], io);
    expect(code).toBe(1);
    expect(io.stderr).toEqual(['bangfu: outbox.jsonl line 3 is not JSON']);
  });

  it('exits 70 with the stack for any other error, whatever its name', async () => {
    const io = capture();
    const unexpected = new Error('cannot read properties of undefined');
    unexpected.name = 'InputRejectedError';
    const code = await runProgram(failingWith(unexpected, io), ['fail'], io);
    expect(code).toBe(70);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^bangfu: unexpected error: .*cannot read properties of undefined\n {4}at /);
  });

  it('exits 2 for a usage error from an argument parser', async () => {
    const io = capture();
    const program = failingWith(new Error('not reached'), io);
    program.command('wait').argument('<days>', 'days', () => {
      throw new InvalidArgumentError('must be a number of days');
    });
    expect(await runProgram(program, ['wait', 'soon'], io)).toBe(2);
    expect(io.stderr).toEqual([
      "error: command-argument value 'soon' is invalid for argument 'days'. must be a number of days",
    ]);
  });

  it('exits 1 from bangfu itself for a command that is local only, run with --aws', async () => {
    const io = capture();
    expect(await runCli(['--aws', 'outbox'], io)).toBe(1);
    expect(io.stderr).toEqual([
      'bangfu: bangfu outbox is local only; on AWS SES keeps no copy of sent mail: see the tick log group and SES events',
    ]);
    expect(io.stdout).toEqual([]);
  });

  it.each(
    [
      InputRejectedError,
      UnknownProgrammeError,
      ReportRequestError,
      ConfigError,
      ConcurrentChangeError,
      ItemTooLargeError,
      CalendarNotPublishedError,
      StackStartError,
      OutboxDamagedError,
    ].map((errorClass) => [errorClass.name, errorClass] as const),
  )('%s is user-facing: bangfu shows its message alone', (_, errorClass) => {
    expect(errorClass.prototype).toBeInstanceOf(UserFacingError);
  });
});
