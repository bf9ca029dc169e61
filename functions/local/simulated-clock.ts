/**
 * The local stack's simulated "now", shared by every process on one BANGFU_HOME (`bangfu up`, the CLI
 * commands, `bangfu demo`): a replay or a demo sets it, and the tick, upload pages, ingest, link
 * expiry, console and PDFs all read it. Kept in `<home>/clock.json` as the simulated instant at the
 * wall-clock instant it was set, so simulated time moves on with the wall clock between moves
 * (a receipt a minute after an upload is a minute later). Absent: the wall clock. On AWS there is no
 * such file and no simulated clock.
 *
 * What is about whether a process is alive (claim leases) or what S3 checks (presigned POST expiry)
 * stays on the wall clock; see send-once.ts and upload-slots.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { userFacingError } from '../domain/errors.ts';
import { parseInstant } from '../domain/plain-date.ts';

export const clockFilePath = (home: string) => join(home, 'clock.json');

const clockStateSchema = z.strictObject({
  /** The simulated instant at `setAt`. */
  now: z.iso.datetime({ offset: true }),
  /** The wall-clock instant it was set. */
  setAt: z.iso.datetime({ offset: true }),
});
export type ClockState = z.infer<typeof clockStateSchema>;

/** The simulated now of `state` at wall-clock `wall`. */
export function simulatedNow(state: ClockState, wall: Date = new Date()): Date {
  return new Date(Date.parse(state.now) + (wall.getTime() - Date.parse(state.setAt)));
}

export async function readClockState(home: string): Promise<ClockState | undefined> {
  let text: string;
  try {
    text = await readFile(clockFilePath(home), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return clockStateSchema.parse(JSON.parse(text));
}

/** Sets the simulated now to `at` (atomically: a reader sees the old or the new state, never half). */
export async function setSimulatedNow(home: string, at: Date, wall: Date = new Date()): Promise<ClockState> {
  const state: ClockState = { now: at.toISOString(), setAt: wall.toISOString() };
  const path = clockFilePath(home);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, path);
  return state;
}

/** Back to the wall clock. */
export async function clearSimulatedNow(home: string): Promise<void> {
  await rm(clockFilePath(home), { force: true });
}

/**
 * The clock of `home` as a process reads it on every call: the simulated now while `clock.json` is
 * there, the wall clock otherwise, so a move made by another process (`bangfu clock`, the console)
 * is seen at once. The file is parsed again only when its modification time or size changes.
 */
export function homeClock(home: string): { now: () => Date; simulatedNow: () => Date | undefined } {
  const path = clockFilePath(home);
  let cached: { stamp: string; state: ClockState } | undefined;
  const state = (): ClockState | undefined => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return undefined;
    const stamp = `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
    if (cached?.stamp !== stamp) {
      cached = { stamp, state: clockStateSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) };
    }
    return cached.state;
  };
  const simulated = () => {
    const current = state();
    return current ? simulatedNow(current) : undefined;
  };
  return { now: () => simulated() ?? new Date(), simulatedNow: simulated };
}

/** Where a command's "now" comes from, strongest first. */
export interface NowSources {
  /** The command's `--at`. */
  at?: Date | undefined;
  /** `BANGFU_NOW`, an ISO instant (or a plain date, the start of that Beijing day). */
  envNow?: string | undefined;
  /** The home's clock.json. */
  state?: ClockState | undefined;
}

/**
 * A local command's "now": `--at`, else `BANGFU_NOW`, else the home's simulated now, else the wall
 * clock. (On AWS there is no simulated clock: the commands take `--at` or the wall clock.)
 */
export function resolveNow(sources: NowSources, wall: Date = new Date()): Date {
  if (sources.at) return sources.at;
  if (sources.envNow !== undefined && sources.envNow !== '') {
    try {
      return parseInstant(sources.envNow);
    } catch {
      throw new BadNowError(sources.envNow);
    }
  }
  return sources.state ? simulatedNow(sources.state, wall) : wall;
}

class BadNowError extends userFacingError('bad-now') {
  override readonly name = 'BadNowError';
  constructor(value: string) {
    super(`BANGFU_NOW must be an ISO date or instant, e.g. 2022-02-21T09:00+08:00 (got "${value}")`);
  }
}
