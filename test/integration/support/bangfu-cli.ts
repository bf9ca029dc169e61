/** Runs `bangfu` as a user would, in its own process. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const BIN = new URL('../../../bin/bangfu.js', import.meta.url).pathname;
const run = promisify(execFile);

export function bangfu(home: string, ...args: string[]) {
  return bangfuWithEnv(home, {}, ...args);
}

export async function bangfuWithEnv(home: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, BANGFU_HOME: home },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
