/**
 * `bangfu clock`: the home's simulated "now" (simulated-clock.ts), shared by `bangfu up` and every
 * command on this home. `set` moves it without running anything; `next-day` runs the daily tick of
 * each day passed, in order, as the console's 下一天 does; `reset` goes back to the wall clock.
 */
import type { Command } from 'commander';
import { tuningFromEnv } from '../../../adapters/config.ts';
import { createWiring } from '../../../composition/wiring.ts';
import { addDays, beijingDate, beijingDateTime } from '../../../domain/plain-date.ts';
import { tickInstantOf } from '../../../domain/simulated-days.ts';
import { advance } from '../../clock-control.ts';
import {
  clearSimulatedNow,
  homeClock,
  readClockState,
  setSimulatedNow,
  simulatedNow,
} from '../../simulated-clock.ts';
import { instant } from '../arguments.ts';
import type { CliContext } from '../context.ts';

const LOCAL_ONLY = 'there is no simulated clock (the functions run on the wall clock)';

export function addClockCommand(program: Command, { io, home, onTarget, localOnly }: CliContext): void {
  const clock = program
    .command('clock')
    .description("print the home's simulated now (shared by bangfu up and every command), or move it")
    .action(async () => {
      localOnly('bangfu clock', LOCAL_ONLY);
      const state = await readClockState(home());
      io.out(
        state
          ? `Simulated now: ${beijingDateTime(simulatedNow(state))} Beijing time`
          : 'No simulated clock: the wall clock (set one with bangfu clock set or bangfu up --at)',
      );
    });
  clock
    .command('set')
    .description('set the simulated now (runs nothing; the ticks of skipped days are not run)')
    .argument('<instant>', 'ISO date or instant, e.g. 2022-02-21T08:00+08:00', instant)
    .action(async (at: Date) => {
      localOnly('bangfu clock set', LOCAL_ONLY);
      await setSimulatedNow(home(), at);
      io.out(`Simulated now: ${beijingDateTime(at)} Beijing time`);
    });
  clock
    .command('next-day')
    .description('run the daily tick of each day passed, in order, and leave now at 09:00 of the next day')
    .action(async () => {
      localOnly('bangfu clock next-day', LOCAL_ONLY);
      const dir = home();
      const from = homeClock(dir).now();
      const to = tickInstantOf(addDays(beijingDate(from), 1));
      const moved = await onTarget(
        async (config) => {
          const wiring = createWiring(config, { clock: homeClock(dir).now });
          try {
            return await advance(dir, wiring, from, to);
          } finally {
            wiring.destroy();
          }
        },
        {
          tuning: tuningFromEnv(io.env),
          ...(io.env.BANGFU_PUBLIC_URL ? { publicUrl: io.env.BANGFU_PUBLIC_URL } : {}),
        },
      );
      for (const tick of moved.ticks) {
        io.out(`Tick ${tick.day}: ${tick.messages} message(s) sent, ${tick.failed} failed`);
      }
      io.out(`Simulated now: ${beijingDateTime(moved.to)} Beijing time`);
    });
  clock
    .command('reset')
    .description('back to the wall clock')
    .action(async () => {
      localOnly('bangfu clock reset', LOCAL_ONLY);
      await clearSimulatedNow(home());
      io.out('No simulated clock: the wall clock');
    });
}
