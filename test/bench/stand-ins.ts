/**
 * A child process of the bench (children.ts): the embedded stand-ins on loopback, DynamoDB in memory,
 * no staff sign-in. Sends `{ config }` once they listen; on `stop`, or when the bench goes away, stops
 * them, sends `{ peakRssMb }` (this process's own) and exits.
 */
import '../../bin/quiet-sdk-warning.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedStack } from '../../functions/local/embedded-stack.ts';
import { peakRssMb } from './figures.ts';

const home = await mkdtemp(join(tmpdir(), 'bangfu-bench-stand-ins-'));
const stack = await startEmbeddedStack({ home, persistent: false, staffSignIn: false });

let stopping: Promise<void> | undefined;
const stop = () => {
  stopping ??= (async () => {
    await stack.stop();
    await rm(home, { recursive: true, force: true });
    if (process.connected) process.send?.({ peakRssMb: peakRssMb() }, () => process.exit(0));
    else process.exit(0);
  })();
  return stopping;
};
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.send?.({ config: stack.config });
