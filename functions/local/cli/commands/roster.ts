/** `bangfu roster import`: the coordinators from a CSV, all rows or none. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { decodeExportedText } from '../../../adapters/text-file.ts';
import { InputRejectedError } from '../../../domain/validation.ts';
import { importRoster } from '../../../use-cases/import-roster.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatCounts } from '../format.ts';

export function addRosterCommand(program: Command, { io, onTarget }: CliContext): void {
  program
    .command('roster')
    .description('coordinators roster')
    .command('import')
    .argument('<file>', 'CSV with columns institution,role,name,email[,phone]')
    .description('import coordinators from CSV; the whole file is rejected if any row is bad')
    .action(async (file: string) => {
      const roster = await readRoster(file);
      const result = await onTarget((config) => withStore(config, (store) => importRoster(store, roster)));
      const encoding = roster.encoding === 'utf-8' ? '' : ` (read as ${roster.encoding.toUpperCase()})`;
      io.out(`Roster ${file}${encoding}: ${result.rows} contact(s); ${formatCounts(result)}`);
    });
}

async function readRoster(file: string) {
  try {
    return { name: file, ...decodeExportedText(await readFile(file)) };
  } catch (error) {
    throw new InputRejectedError('roster', [{ file, field: '(file)', message: (error as Error).message }]);
  }
}
