/**
 * The whole local app (`bangfu up` without the schedule) on random loopback ports, with a simulated
 * "now" so a test can replay a plan's days: links, tickets and records live in replayed time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTick } from '../../../functions/composition/wiring.ts';
import { startOfBeijingDay } from '../../../functions/domain/plain-date.ts';
import { type LocalApp, startLocalApp } from '../../../functions/local/local-app.ts';

/** 09:00 Beijing time on a day: when the scheduled tick runs. */
export const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);

export interface ReplayApp {
  home: string;
  app: LocalApp;
  now(): Date;
  /** Moves "now" without running anything. */
  setNow(at: Date): void;
  /** Moves "now" to 09:00 Beijing time of `day` and runs that day's tick. */
  tickAt(day: string): ReturnType<typeof runTick>;
  stop(): Promise<void>;
}

export interface ReplayOptions {
  /** Where "now" starts. @default the wall clock's now */
  at?: Date;
  /** @default true */
  demoRoster?: boolean;
}

export async function startReplayApp(prefix: string, options: ReplayOptions = {}): Promise<ReplayApp> {
  const home = await mkdtemp(join(tmpdir(), `bangfu-${prefix}-`));
  let now = options.at ?? new Date();
  const app = await startLocalApp({
    home,
    ports: { dynamodb: 0, s3: 0, ses: 0, api: 0, oidc: 0 },
    demoRoster: options.demoRoster ?? true,
    schedule: false,
    env: {},
    log: () => undefined,
    clock: () => now,
  });
  return {
    home,
    app,
    now: () => now,
    setNow(at) {
      now = at;
    },
    tickAt(day) {
      now = nineOclock(day);
      return runTick(app.wiring, now);
    },
    async stop() {
      await app.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
