/**
 * Secrets the local stack makes once per BANGFU_HOME and keeps there, readable only by their owner and
 * never in the repository (on AWS their counterparts live in Cognito and the secret store). Two
 * processes starting on one home at once agree: each writes a whole file aside and links it into place,
 * the first link wins, and both read back the winner (never a half-written file).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A random base64url string of `bytes` bytes, kept in the file at `path`. */
export async function secretInHome(path: string, bytes: number): Promise<string> {
  return (await keptInHome(path, () => `${randomBytes(bytes).toString('base64url')}\n`)).trim();
}

/** A JSON value made by `make` the first time and read back every time after. */
export async function jsonInHome<T>(path: string, make: () => Promise<T> | T): Promise<T> {
  return JSON.parse(await keptInHome(path, async () => `${JSON.stringify(await make(), null, 2)}\n`)) as T;
}

async function keptInHome(path: string, make: () => Promise<string> | string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const aside = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(aside, await make(), { mode: 0o600, flag: 'wx' });
    try {
      await link(aside, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await rm(aside, { force: true });
    }
    return readFile(path, 'utf8');
  }
}
