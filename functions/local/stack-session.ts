/**
 * Finds the stack a `bangfu up` process runs for a BANGFU_HOME, or starts one in this process on the
 * same state for the length of a command. `bangfu up` records its endpoints in `stack.json`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AppConfig } from '../adapters/config.ts';
import { localConfig, localTicketSecret, startEmbeddedStack } from './embedded-stack.ts';

const stackFileSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  endpoints: z.object({ dynamodb: z.url(), s3: z.url(), ses: z.url(), api: z.url() }),
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

/** Where `bangfu up` serves upload links by default, so links made by any command point there. */
export const DEFAULT_API_PORT = 8080;
/** Where `bangfu up` runs the staff sign-in provider by default. */
export const DEFAULT_OIDC_PORT = 8081;

/**
 * Runs `work` against the running stack of `home`, or against one started just for it. Links in
 * emails point at the running `bangfu up`, or where it listens by default.
 */
export async function withStack<T>(
  home: string,
  work: (config: AppConfig) => Promise<T>,
  options: { tuning?: Partial<Pick<AppConfig, 'ses' | 'claimLeaseSeconds'>>; publicUrl?: string } = {},
): Promise<T> {
  const running = await runningStack(home);
  const tuning = options.tuning ?? {};
  if (running) {
    const ticketSecret = await localTicketSecret(home);
    return work(
      localConfig(running.endpoints, {
        ticketSecret,
        tuning,
        publicUrl: options.publicUrl ?? running.endpoints.api,
      }),
    );
  }
  const stack = await startEmbeddedStack({
    home,
    tuning,
    staffSignIn: false,
    publicUrl: options.publicUrl ?? `http://127.0.0.1:${DEFAULT_API_PORT}`,
  });
  try {
    return await work(stack.config);
  } finally {
    await stack.stop();
  }
}
