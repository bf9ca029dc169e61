/**
 * Moving the simulated clock of a home forward, for the console (ClockControl) and `bangfu clock`:
 * for each day passed, the clock is set to 09:00 Beijing time of that day and the day's tick runs on
 * it, in order, as the schedule would have run them; then the clock is left at the target.
 */
import { runTick, type Wiring } from '../composition/wiring.ts';
import { tickDaysBetween, tickInstantOf } from '../domain/simulated-days.ts';
import type { ClockAdvance, ClockControl } from '../use-cases/ports.ts';
import { homeClock, setSimulatedNow } from './simulated-clock.ts';

/** The home's clock control; `wiring` must run on the home's clock (homeClock) for the ticks' records. */
export function localClockControl(home: string, wiring: Wiring): ClockControl {
  const clock = homeClock(home);
  // One move at a time: two admins clicking at once run each day's tick once, in order.
  let running: Promise<unknown> = Promise.resolve();
  return {
    simulatedNow: clock.simulatedNow,
    advanceTo(to) {
      const move = running.then(() => advance(home, wiring, clock.now(), to));
      running = move.catch(() => undefined);
      return move;
    },
  };
}

/** Runs the tick of each day between `from` and `to`, then leaves the home's clock at `to`. */
export async function advance(home: string, wiring: Wiring, from: Date, to: Date): Promise<ClockAdvance> {
  const ticks: ClockAdvance['ticks'] = [];
  if (to <= from) return { from, to: from, ticks };
  for (const day of tickDaysBetween(from, to)) {
    const at = tickInstantOf(day);
    await setSimulatedNow(home, at);
    const result = await runTick(wiring, at);
    ticks.push({
      day,
      messages: result.messages.length,
      failed: result.failed.length + result.published.failed.length,
    });
  }
  await setSimulatedNow(home, to);
  return { from, to, ticks };
}
