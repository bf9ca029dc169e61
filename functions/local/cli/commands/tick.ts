/** `bangfu tick`: the daily reminder tick as of an instant; exits 1 when a message could not be sent. */
import { type Command, Option } from 'commander';
import { tuningFromEnv } from '../../../adapters/config.ts';
import { createWiring, runTick } from '../../../composition/wiring.ts';
import { userFacingError } from '../../../domain/errors.ts';
import { instant } from '../arguments.ts';
import type { CliContext } from '../context.ts';
import { formatTick } from '../format.ts';

export function addTickCommand(program: Command, { io, onTarget, now, clock }: CliContext): void {
  program
    .command('tick')
    .description(
      'run the daily reminder tick as of an instant (default BANGFU_NOW, the simulated clock or now): sends what is due that Beijing day',
    )
    .addOption(
      new Option('--at <instant>', 'as of this instant (ISO), e.g. 2022-02-21T09:00+08:00').argParser(
        instant,
      ),
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: { at?: Date; json?: boolean }) => {
      const at = await now(options.at);
      const wiringClock = await clock(options.at);
      const result = await onTarget(
        async (config) => {
          const wiring = createWiring(config, { clock: wiringClock });
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
}

class TickFailedError extends userFacingError('tick-failed') {
  override readonly name = 'TickFailedError';
  constructor(count: number) {
    super(`${count} message(s) could not be sent and were left for the next run`);
  }
}
