/**
 * Finds the stack a `bangfu up` process runs for a BANGFU_HOME, or starts one in this process on the
 * same state for the length of a command. `bangfu up` records its endpoints in `stack.json`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppConfig } from '../adapters/config.ts';
import { localConfig, startEmbeddedStack } from './embedded-stack.ts';

const stackFileSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  endpoints: z.object({ dynamodb: z.url(), s3: z.url(), ses: z.url(), app: z.url().optional() }),
});
export type StackFile = z.infer<typeof stackFileSchema>;

export const stackFilePath = (home: string) => join(home, 'stack.json');

export async function writeStackFile(home: string, stack: StackFile): Promise<void> {
  await writeFile(stackFilePath(home), `${JSON.stringify(stack, null, 2)}\n`);
}

export async function removeStackFile(home: string): Promise<void> {
  await rm(stackFilePath(home), { force: true });
}

/** The running `bangfu up` of this home, if its process is alive and its DynamoDB answers. */
export async function runningStack(home: string): Promise<StackFile | undefined> {
  let parsed: StackFile;
  try {
    parsed = stackFileSchema.parse(JSON.parse(await readFile(stackFilePath(home), 'utf8')));
  } catch {
    return undefined;
  }
  if (!isAlive(parsed.pid)) return undefined;
  try {
    await fetch(parsed.endpoints.dynamodb, { signal: AbortSignal.timeout(2000) });
    return parsed;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `work` against the running stack of `home`, or against one started just for it. */
export async function withStack<T>(
  home: string,
  work: (config: AppConfig) => Promise<T>,
  tuning: Partial<Pick<AppConfig, 'ses' | 'claimLeaseSeconds'>> = {},
): Promise<T> {
  const running = await runningStack(home);
  if (running) return work(localConfig(running.endpoints, tuning));
  const stack = await startEmbeddedStack({ home, tuning });
  try {
    return await work(stack.config);
  } finally {
    await stack.stop();
  }
}
