/**
 * The replayed local app (functions/local/replay.ts) on a fresh home of its own, removed when stopped.
 * By default "now" is the test's own; with `homeClock` it is the home's clock.json, as after
 * `bangfu up --at …`: the console then shows the simulated date and admins may move it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Replay, startReplay } from '../../../functions/local/replay.ts';

export { nineOclock } from '../../../functions/local/replay.ts';

export interface ReplayApp extends Replay {
  home: string;
}

export interface ReplayOptions {
  /** Where "now" starts. @default the wall clock's now */
  at?: Date;
  /** @default true */
  demoRoster?: boolean;
  /** Keep "now" in the home's clock.json, as `bangfu up --at` does. @default false */
  homeClock?: boolean;
}

export async function startReplayApp(prefix: string, options: ReplayOptions = {}): Promise<ReplayApp> {
  const home = await mkdtemp(join(tmpdir(), `bangfu-${prefix}-`));
  const replay = await startReplay({ home, ...options });
  return {
    ...replay,
    home,
    async stop() {
      await replay.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
