/**
 * The local app (`bangfu up` without the schedule) under a simulated "now", so a plan's days can be
 * replayed: links, tickets and records live in replayed time, and each day's tick runs at 09:00
 * Beijing time as the schedule runs it. `bangfu demo` and the tests that replay a plan use it.
 */
import { runTick } from '../composition/wiring.ts';
import { startOfBeijingDay } from '../domain/plain-date.ts';
import type { StackPorts } from './embedded-stack.ts';
import { type LocalApp, startLocalApp } from './local-app.ts';
import { homeClock, setSimulatedNow } from './simulated-clock.ts';

/** 09:00 Beijing time on a day: when the scheduled tick runs. */
export const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);

export interface Replay {
  app: LocalApp;
  now(): Date;
  /** Moves "now" without running anything (at once; the promise is the home's clock file written). */
  setNow(at: Date): Promise<void>;
  /** Moves "now" to 09:00 Beijing time of `day` and runs that day's tick. */
  tickAt(day: string): ReturnType<typeof runTick>;
  stop(): Promise<void>;
}

export interface ReplayOptions {
  home: string;
  /** Where "now" starts. @default the wall clock's now */
  at?: Date;
  /** @default true */
  demoRoster?: boolean;
  /** @default random loopback ports for every stand-in */
  ports?: Partial<StackPorts>;
  /** @default silent */
  log?: (line: string) => void;
  /**
   * Keep "now" in the home's clock.json (simulated-clock.ts) rather than in this process, as
   * `bangfu up --at` does, so the console shows 模拟日期 with the admins' controls. @default false
   */
  homeClock?: boolean;
}

export async function startReplay(options: ReplayOptions): Promise<Replay> {
  let now = options.at ?? new Date();
  const onHome = options.homeClock === true;
  if (onHome) await setSimulatedNow(options.home, now);
  const clock = onHome ? homeClock(options.home).now : () => now;
  const app = await startLocalApp({
    home: options.home,
    ports: options.ports ?? { dynamodb: 0, s3: 0, ses: 0, api: 0, oidc: 0 },
    demoRoster: options.demoRoster ?? true,
    schedule: false,
    env: {},
    log: options.log ?? (() => undefined),
    // Without a clock of its own the app follows the home's clock.json.
    ...(onHome ? {} : { clock }),
  });
  const setNow = async (at: Date) => {
    now = at;
    if (onHome) await setSimulatedNow(options.home, at);
  };
  return {
    app,
    now: clock,
    setNow,
    async tickAt(day) {
      await setNow(nineOclock(day));
      return runTick(app.wiring, nineOclock(day));
    },
    stop: () => app.stop(),
  };
}
