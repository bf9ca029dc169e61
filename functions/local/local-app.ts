/**
 * Everything `bangfu up` runs in one process: the embedded stack, the plans and demo roster loaded,
 * and the daily tick on its schedule (09:00 Asia/Shanghai, as EventBridge Scheduler runs it on AWS).
 */
import { readFile } from 'node:fs/promises';
import { Cron } from 'croner';
import { tuningFromEnv } from '../adapters/config.ts';
import { createApi, type OnSignIn } from '../adapters/http-api.ts';
import { wallClock } from '../composition/parts.ts';
import { createWiring, runTick, type Wiring } from '../composition/wiring.ts';
import { beijingDateTime } from '../domain/plain-date.ts';
import { importRoster } from '../use-cases/import-roster.ts';
import { loadSeeds, type SeedLoadResult } from '../use-cases/load-seeds.ts';
import type { SyncCounts } from '../use-cases/ports.ts';
import { localClockControl } from './clock-control.ts';
import { type EmbeddedStack, type StackPorts, startEmbeddedStack } from './embedded-stack.ts';
import { bridgeS3Events, type IngestBridge } from './ingest-bridge.ts';
import { DEMO_ROSTER, readSeedFiles } from './seed-files.ts';
import { homeClock } from './simulated-clock.ts';
import { removeStackFile, writeStackFile } from './stack-session.ts';

export const TICK_CRON = '0 9 * * *';
export const TICK_TIME_ZONE = 'Asia/Shanghai';

export interface LocalAppOptions {
  home: string;
  ports: Partial<StackPorts>;
  demoRoster: boolean;
  /** Run the daily tick at 09:00 Beijing time while up. */
  schedule: boolean;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Base of links in emails, when people reach this machine by another name than 127.0.0.1. */
  publicUrl?: string;
  /**
   * A "now" of the caller's own (tests replaying a plan year in-process); by default the home's clock,
   * read on every call (simulated-clock.ts), which staff may move from the console.
   */
  clock?: () => Date;
  /** Told of each staff sign-in (the audit's hook); a no-op by default. */
  onSignIn?: OnSignIn;
}

export interface LocalApp {
  stack: EmbeddedStack;
  wiring: Wiring;
  ingest: IngestBridge;
  seeds: SeedLoadResult;
  roster?: SyncCounts;
  /** The next scheduled tick, if scheduling is on. */
  nextTick?: Date;
  stop(): Promise<void>;
}

export async function startLocalApp(options: LocalAppOptions): Promise<LocalApp> {
  const stack = await startEmbeddedStack({
    home: options.home,
    ports: options.ports,
    tuning: tuningFromEnv(options.env),
  });
  const home = homeClock(options.home);
  const wiring = createWiring(stack.config, {
    ...(options.clock
      ? { clock: options.clock }
      : {
          clock: home.now,
          sessionClock: wallClock,
          clockControl: (w: Wiring) => localClockControl(options.home, w),
        }),
    ...(options.onSignIn ? { onSignIn: options.onSignIn } : {}),
  });
  let cron: Cron | undefined;
  const stop = async () => {
    cron?.stop();
    await removeStackFile(options.home);
    wiring.destroy();
    await stack.stop();
  };
  try {
    const seeds = await loadSeeds(wiring.store, await readSeedFiles());
    const roster = options.demoRoster
      ? await importRoster(wiring.store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') })
      : undefined;
    stack.serve(createApi(wiring));
    const ingest = bridgeS3Events(stack, wiring, options.log);
    if (options.schedule) {
      // protect: a tick still running when the next one is due is not started twice.
      cron = new Cron(TICK_CRON, { timezone: TICK_TIME_ZONE, protect: true }, async () => {
        // Under a simulated clock the wall-clock day means nothing: ticking it would send reminders
        // for a day the simulation has not reached (or has long passed). Simulated days' ticks run
        // when staff move the clock (console, `bangfu clock`), each day passed in order.
        const simulated = options.clock ? undefined : home.simulatedNow();
        if (simulated) {
          options.log(
            `Scheduled tick skipped: simulated clock at ${beijingDateTime(simulated)} Beijing time`,
          );
          return;
        }
        try {
          const result = await runTick(wiring, wiring.clock());
          const unconfirmed = result.unconfirmed.length + result.published.unconfirmed.length;
          options.log(
            `Tick ${result.day}: ${result.messages.length} message(s) sent, ${result.failed.length} failed` +
              (unconfirmed > 0 ? `, ${unconfirmed} unconfirmed` : ''),
          );
        } catch (error) {
          options.log(`Tick failed: ${(error as Error).message}`);
        }
      });
    }
    await writeStackFile(options.home, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      endpoints: stack.endpoints,
    });
    return {
      stack,
      wiring,
      ingest,
      seeds,
      ...(roster ? { roster } : {}),
      ...(cron?.nextRun() ? { nextTick: cron.nextRun() as Date } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
