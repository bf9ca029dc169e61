/** `bangfu outbox`: the mail the local SES received; reads the home's files, no stack needed. */
import type { Command } from 'commander';
import { formatOutbox, readOutbox } from '../../outbox.ts';
import type { CliContext } from '../context.ts';

export function addOutboxCommand(program: Command, { io, home, localOnly }: CliContext): void {
  program
    .command('outbox')
    .description('every message the local SES received for this home, oldest first (no stack needed)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      localOnly('bangfu outbox', 'SES keeps no copy of sent mail: see the tick log group and SES events');
      const messages = await readOutbox(home());
      io.out(options.json ? JSON.stringify(messages, null, 2) : formatOutbox(messages));
    });
}
