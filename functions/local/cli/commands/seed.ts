/** `bangfu seed`: loads the plans; repeating it changes nothing. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadSeeds } from '../../../use-cases/load-seeds.ts';
import { readSeedFiles, SHIPPED_SEEDS } from '../../seed-files.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatSeedResult } from '../format.ts';

export function addSeedCommand(program: Command, { io, onTarget }: CliContext): void {
  program
    .command('seed')
    .description('load the plans (institutions, programmes, pairings, obligations); safe to repeat')
    .option('--dir <dir>', 'seed folder', SHIPPED_SEEDS)
    .action(async (options: { dir: string }) => {
      const input = await readSeedFiles(resolve(options.dir));
      const result = await onTarget((config) => withStore(config, (store) => loadSeeds(store, input)));
      io.out(formatSeedResult(result));
    });
}
