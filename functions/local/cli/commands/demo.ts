/**
 * `bangfu demo`: both plans replayed day by day on this home's embedded stack (demo/run-demo.ts),
 * with a progress line while it runs and a summary table at the end; `bangfu up` on the same home
 * then opens the outcome.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { isPlainDate } from '../../../domain/plain-date.ts';
import { type DemoProgress, runDemo } from '../../demo/run-demo.ts';
import type { CliContext } from '../context.ts';
import { formatDemo } from '../format.ts';

const day = (value: string) => {
  if (!isPlainDate(value)) throw new InvalidArgumentError('must be a date, e.g. 2022-01-01');
  return value;
};
const seed = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

export function addDemoCommand(program: Command, { io, home, localOnly }: CliContext): void {
  program
    .command('demo')
    .description(
      'replay both plans day by day on the local stack: every tick, hospitals uploading, staff reviewing',
    )
    .option('--seed <n>', 'the random seed: the same seed gives the same result', seed, 1)
    .option('--from <date>', 'first day replayed', day, '2022-01-01')
    .option('--to <date>', 'last day replayed', day, '2025-12-31')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { seed: number; from: string; to: string; json?: boolean }) => {
      localOnly('bangfu demo', 'there is no simulated clock: the schedule runs the tick');
      if (options.to < options.from) throw new InvalidArgumentError('--to is before --from');
      const summary = await runDemo({
        home: home(),
        seed: options.seed,
        from: options.from,
        to: options.to,
        onDay: progressLine(io.err),
      });
      io.out(options.json ? JSON.stringify(summary, null, 2) : formatDemo(summary));
    });
}

/** A bar redrawn in place on a terminal; otherwise a plain line at each month's end. */
function progressLine(err: (text: string) => void) {
  const tty = process.stderr.isTTY === true;
  return (p: DemoProgress) => {
    const counts = `${p.day}  day ${p.done}/${p.days}  ${p.messages} emails  ${p.uploads} uploads`;
    if (tty) {
      const width = 30;
      const filled = Math.round((p.done / p.days) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${counts}`);
      if (p.done === p.days) process.stderr.write('\n');
    } else if (p.done === p.days || p.day.endsWith('-01')) {
      err(`demo: ${counts}`);
    }
  };
}
