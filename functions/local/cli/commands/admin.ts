/**
 * The command-line twins of the console's admin actions, through the same use cases:
 *
 *   bangfu contact update INSTITUTION EMAIL [--name …] [--role …] [--email …] [--phone …] [--reason …]
 *   bangfu contact remove INSTITUTION EMAIL [--reason …]
 *   bangfu links revoke PAIRING [--obligation ID] [--reason …]
 *
 * INSTITUTION is an id, or a name or alias the plans use. The actor is chosen as for the staff
 * actions (staff.ts): locally `--as EMAIL` of a demo account, by default the provincial commission's
 * admin of the institution's (or pairing's) programme; with --aws the operator's AWS identity.
 */
import type { Command } from 'commander';
import type { StaffIdentity } from '../../../domain/staff.ts';
import type { AuditEntry } from '../../../domain/staff-actions.ts';
import {
  type ContactActionPorts,
  type ContactActionResult,
  type ContactCorrection,
  type ContactRef,
  programmesOfContactInstitution,
  removeContact,
  updateContact,
} from '../../../use-cases/contact-actions.ts';
import { type RevokedLinks, revokePairingLinks } from '../../../use-cases/link-actions.ts';
import { type CliContext, withStore } from '../context.ts';
import { actorFor } from './staff.ts';

const asOption = '--as <email>';
const asHelp = 'act as this demo staff account (local only; default: the provincial admin)';
const reasonHelp = 'why (kept in the audit log)';

/** `fj-2021.fj-huaan-county-hospital` → `fj-2021`. */
const programmeOfPairing = (pairingId: string) => pairingId.split('.')[0] ?? '';

export function addAdminCommands(program: Command, context: CliContext): void {
  const { io } = context;
  const onContact = async (
    institution: string,
    email: string,
    as: string | undefined,
    act: (ports: ContactActionPorts, actor: StaffIdentity, ref: ContactRef) => Promise<ContactActionResult>,
  ) => {
    const clock = await context.clock();
    const result = await context.onTarget((config) =>
      withStore(config, async (store) => {
        // By default the admin of the provincial commission of the institution's (first) programme.
        const [programmeId = ''] = await programmesOfContactInstitution(store, institution);
        const actor = await actorFor(context, config, programmeId, as);
        return act({ store, clock }, actor, { institution, email });
      }),
    );
    io.out(formatContact(result));
  };

  const contact = program.command('contact').description("correct or remove an institution's contact");
  contact
    .command('update')
    .description('correct a contact’s name, role, address or phone, checked as a roster row is')
    .argument('<institution>', 'institution id or name, e.g. 华安县医院')
    .argument('<email>', 'the contact’s address as stored (any case)')
    .option('--name <name>', 'the corrected name')
    .option('--role <role>', 'the corrected role, e.g. 联络员')
    .option('--email <email>', 'the corrected address')
    .option('--phone <phone>', 'the corrected phone number ("" removes it)')
    .option('--reason <text>', reasonHelp)
    .option(asOption, asHelp)
    .action((institution: string, email: string, o: ContactCorrection & { as?: string }) => {
      const { as, ...correction } = o;
      return onContact(institution, email, as, (ports, actor, ref) =>
        updateContact(ports, actor, ref, correction),
      );
    });
  contact
    .command('remove')
    .description('remove a contact: no reminder or notice goes to the address again')
    .argument('<institution>', 'institution id or name')
    .argument('<email>', 'the contact’s address')
    .option('--reason <text>', reasonHelp)
    .option(asOption, asHelp)
    .action((institution: string, email: string, o: { reason?: string; as?: string }) =>
      onContact(institution, email, o.as, (ports, actor, ref) =>
        removeContact(ports, actor, ref, o.reason ? { reason: o.reason } : {}),
      ),
    );

  const links = program.command('links').description('personal upload links');
  links
    .command('revoke')
    .description(
      'revoke the upload links sent for a pairing (or one obligation); the next reminder carries new ones',
    )
    .argument('<pairing>', 'pairing id, e.g. fj-2021.fj-huaan-county-hospital')
    .option('--obligation <id>', 'only this obligation’s links')
    .option('--reason <text>', reasonHelp)
    .option(asOption, asHelp)
    .action(async (pairingId: string, o: { obligation?: string; reason?: string; as?: string }) => {
      const clock = await context.clock();
      const result = await context.onTarget((config) =>
        withStore(config, async (store) => {
          const actor = await actorFor(context, config, programmeOfPairing(pairingId), o.as);
          return revokePairingLinks(
            { store, clock },
            actor,
            pairingId,
            o.obligation,
            o.reason ? { reason: o.reason } : {},
          );
        }),
      );
      io.out(formatRevoked(result));
    });
}

function actorLine(audit: AuditEntry): string {
  return `by ${audit.actor.email} (${audit.actor.role}, ${audit.actor.commissionId})`;
}

function formatContact(result: ContactActionResult): string {
  const { before, after, audit } = result;
  const [first] = audit;
  const lines = [
    `${first?.action ?? 'contact'} ${before.institutionId} ${before.email} ${first ? actorLine(first) : ''}` +
      (first?.reason ? `: ${first.reason}` : ''),
    after
      ? `  now ${after.name} (${after.role}) ${after.email}${after.phone ? ` ${after.phone}` : ''}`
      : `  no reminder or notice goes to ${before.email} from now on`,
    ...audit.map((a) => `  audit entry ${a.id} (${a.programmeId})`),
  ];
  return lines.join('\n');
}

function formatRevoked(result: RevokedLinks): string {
  const { audit } = result;
  return [
    `links-revoked ${audit.obligationId ?? audit.pairingId} ${actorLine(audit)}` +
      (audit.reason ? `: ${audit.reason}` : ''),
    `  ${result.revoked} link(s) stopped working; the next reminder carries new ones`,
    `  audit entry ${audit.id}`,
  ].join('\n');
}
