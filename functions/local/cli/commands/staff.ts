/**
 * The command-line twins of the console's staff actions, through the same use case:
 *
 *   bangfu review accept|return OBLIGATION_ID [--reason TEXT]
 *   bangfu extend OBLIGATION_ID --to YYYY-MM-DD --reason TEXT
 *   bangfu exempt OBLIGATION_ID --reason TEXT [--undo]
 *   bangfu audit [--programme ID] [--pairing ID] [--json]   (sign-ins, contacts and links too)
 *
 * The actor: locally `--as EMAIL` of a demo staff account (default: the provincial commission's
 * admin of the obligation's programme); with --aws the operator's own AWS identity, acting as the
 * provincial commission's admin.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type Command, InvalidArgumentError } from 'commander';
import type { AppConfig } from '../../../adapters/config.ts';
import { createWiring, obligationActionPorts } from '../../../composition/wiring.ts';
import { userFacingError } from '../../../domain/errors.ts';
import type { StaffIdentity } from '../../../domain/staff.ts';
import type { ActionRequest, AuditEntry } from '../../../domain/staff-actions.ts';
import { auditLog } from '../../../use-cases/audit-log.ts';
import { actOnObligation, type ObligationActionResult } from '../../../use-cases/obligation-actions.ts';
import { demoStaffAccounts } from '../../demo-staff.ts';
import { type CliContext, withStore } from '../context.ts';

class UnknownStaffError extends userFacingError('unknown-staff') {
  override readonly name = 'UnknownStaffError';
}

const programmeOf = (obligationId: string) => obligationId.split('.')[0] ?? '';

export function addStaffCommands(program: Command, context: CliContext): void {
  const { io } = context;
  const act = async (obligationId: string, request: ActionRequest, as: string | undefined) => {
    const clock = await context.clock();
    const result = await context.onTarget(async (config) => {
      const wiring = createWiring(config, { clock });
      try {
        const actor = await actorFor(context, config, programmeOf(obligationId), as);
        return await actOnObligation(obligationActionPorts(wiring), actor, obligationId, request);
      } finally {
        wiring.destroy();
      }
    });
    io.out(formatAction(result));
  };
  const asOption = '--as <email>';
  const asHelp = 'act as this demo staff account (local only; default: the provincial admin)';

  const review = program.command('review').description('accept or return a submission');
  review
    .command('accept')
    .argument('<obligation>', 'obligation id, as bangfu status --json prints it')
    .option('--reason <text>', 'why (optional)')
    .option(asOption, asHelp)
    .action((id: string, o: { reason?: string; as?: string }) =>
      act(id, { action: 'accept', ...(o.reason ? { reason: o.reason } : {}) }, o.as),
    );
  review
    .command('return')
    .argument('<obligation>', 'obligation id')
    .requiredOption('--reason <text>', 'why it is returned: the uploaders get it by email')
    .option(asOption, asHelp)
    .action((id: string, o: { reason: string; as?: string }) =>
      act(id, { action: 'return', reason: o.reason }, o.as),
    );

  program
    .command('extend')
    .description("move one obligation's due date, with a reason")
    .argument('<obligation>', 'obligation id')
    .requiredOption('--to <date>', 'the new due date, YYYY-MM-DD', (v) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError('must be a date, e.g. 2022-03-15');
      return v;
    })
    .requiredOption('--reason <text>', 'why')
    .option(asOption, asHelp)
    .action((id: string, o: { to: string; reason: string; as?: string }) =>
      act(id, { action: 'extend', to: o.to, reason: o.reason }, o.as),
    );

  program
    .command('exempt')
    .description('exempt one obligation (no reminders, out of completeness), or undo it')
    .argument('<obligation>', 'obligation id')
    .requiredOption('--reason <text>', 'why')
    .option('--undo', 'withdraw the exemption')
    .option(asOption, asHelp)
    .action((id: string, o: { reason: string; undo?: boolean; as?: string }) =>
      act(id, { action: o.undo ? 'unexempt' : 'exempt', reason: o.reason }, o.as),
    );

  program
    .command('audit')
    .description(
      'the append-only log of staff actions, sign-ins, contact changes and revoked links, oldest first',
    )
    .option('--programme <id>', 'only this programme')
    .option('--pairing <id>', 'only this pairing')
    .option('--json', 'print JSON')
    .action(async (o: { programme?: string; pairing?: string; json?: boolean }) => {
      const entries = await context.onTarget((config) =>
        withStore(config, (store) =>
          auditLog(store, {
            ...(o.programme ? { programmeId: o.programme } : {}),
            ...(o.pairing ? { pairingId: o.pairing } : {}),
          }),
        ),
      );
      io.out(o.json ? JSON.stringify(entries, null, 2) : formatAudit(entries));
    });
}

/**
 * Who acts in a staff command: locally the demo account `as` (default: the admin of `programmeId`'s
 * provincial commission); with --aws the operator's own AWS identity, as that commission's admin.
 */
export async function actorFor(
  context: CliContext,
  config: AppConfig,
  programmeId: string,
  as: string | undefined,
): Promise<StaffIdentity> {
  const provincial = await withStore(config, async (store) =>
    (await store.listProgrammes()).find((p) => p.id === programmeId),
  );
  if (config.endpoints.dynamodb === undefined) {
    if (as) throw new UnknownStaffError('--as is local only: on AWS you act as yourself');
    const sts = new STSClient({ region: config.region });
    try {
      const { Arn, UserId } = await sts.send(new GetCallerIdentityCommand({}));
      return {
        subject: `aws:${UserId ?? Arn}`,
        email: Arn ?? 'operator',
        name: Arn ?? 'operator',
        commissionId: provincial?.provincialCommissionId ?? '',
        role: 'admin',
      };
    } finally {
      sts.destroy();
    }
  }
  const accounts = await demoStaffAccounts(context.home());
  const account = as
    ? accounts.find((a) => a.email.toLowerCase() === as.toLowerCase())
    : accounts.find((a) => a.role === 'admin' && a.commissionId === provincial?.provincialCommissionId);
  if (!account) {
    throw new UnknownStaffError(
      `no demo staff account ${as ?? `admin of ${programmeId}`}; the accounts are printed by bangfu up`,
    );
  }
  return {
    subject: `local:${account.email}`,
    email: account.email,
    name: account.name,
    commissionId: account.commissionId,
    role: account.role,
  };
}

function formatAction(result: ObligationActionResult): string {
  const { audit, obligation } = result;
  return [
    `${audit.action} ${audit.obligationId} by ${audit.actor.email} (${audit.actor.role}, ${audit.actor.commissionId})` +
      (audit.reason ? `: ${audit.reason}` : ''),
    `  due ${obligation.obligation.effectiveDueDate}; audit entry ${audit.id}`,
    ...result.notified.map((m) => `  told ${m.to.join(', ')}`),
    ...result.unconfirmed.map(
      (e) => `  UNCONFIRMED ${e}: handed to SES by a run that died; check the SES log`,
    ),
  ].join('\n');
}

function formatAudit(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'No staff actions recorded.';
  return entries
    .map(
      (a) =>
        `${a.at}  ${a.action.padEnd(8)} ${auditSubject(a)}  by ${a.actor.email} (${a.actor.role})` +
        (a.reason ? `: ${a.reason}` : ''),
    )
    .join('\n');
}

/** What an entry is about: its obligation or pairing, the contact changed, or the programme signed in to. */
function auditSubject(a: AuditEntry): string {
  const contact = a.before as { institutionId?: unknown; email?: unknown } | undefined;
  if (a.obligationId ?? a.pairingId) return a.obligationId ?? a.pairingId ?? '';
  if (a.action === 'contact-change' || a.action === 'contact-removed')
    return `${String(contact?.institutionId)} ${String(contact?.email)}`;
  return a.programmeId ?? '';
}
