/**
 * `bangfu status`: every obligation of a programme with its due date and state, then the city
 * commissions' forwardings and the direct pairings. `--json` stays the list of obligations, each with
 * its collector and the forwarding it goes on in (with that forwarding's state and tally).
 */
import { type Command, Option } from 'commander';
import { programmeChainStatus } from '../../../use-cases/programme-status.ts';
import { instant } from '../arguments.ts';
import { type CliContext, withStore } from '../context.ts';
import { formatStatus } from '../format.ts';

export function addStatusCommand(program: Command, { io, onTarget, now }: CliContext): void {
  program
    .command('status')
    .description('every obligation of a programme with its due date and state')
    .requiredOption('--programme <id>', 'programme id, e.g. fj-2021 or js-2022')
    .addOption(
      new Option(
        '--at <instant>',
        'as of this instant (ISO); default BANGFU_NOW, the simulated clock or now',
      ).argParser(instant),
    )
    .option('--json', 'print JSON')
    .action(async (options: { programme: string; at?: Date; json?: boolean }) => {
      const at = await now(options.at);
      const status = await onTarget((config) =>
        withStore(config, (store) => programmeChainStatus(store, options.programme, at)),
      );
      io.out(
        options.json
          ? JSON.stringify(status.obligations, null, 2)
          : formatStatus(options.programme, at, status.obligations, status),
      );
    });
}
