/** `bangfu status`: every obligation of a programme with its due date and state. */
import { type Command, Option } from 'commander';
import { programmeStatus } from '../../../use-cases/programme-status.ts';
import { instant } from '../arguments.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatStatus } from '../format.ts';

export function addStatusCommand(program: Command, { io, onTarget }: CliContext): void {
  program
    .command('status')
    .description('every obligation of a programme with its due date and state')
    .requiredOption('--programme <id>', 'programme id, e.g. fj-2021 or js-2022')
    .addOption(new Option('--at <instant>', 'as of this instant (ISO); default now').argParser(instant))
    .option('--json', 'print JSON')
    .action(async (options: { programme: string; at?: Date; json?: boolean }) => {
      const at = options.at ?? new Date();
      const rows = await onTarget((config) =>
        withStore(config, (store) => programmeStatus(store, options.programme, at)),
      );
      io.out(options.json ? JSON.stringify(rows, null, 2) : formatStatus(options.programme, at, rows));
    });
}
