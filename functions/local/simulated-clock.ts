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
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

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
