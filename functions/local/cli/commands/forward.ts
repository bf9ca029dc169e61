/**
 * The command-line twins of the reporting chain's console forms (Fujian §三(一)–(二)), through the
 * same use case:
 *
 *   bangfu forward PROGRAMME KIND YEAR [--as EMAIL] [--file REPORT.pdf | --generate]
 *   bangfu forwarding accept|return PROGRAMME COMMISSION KIND YEAR [--reason TEXT] [--as EMAIL]
 *
 * KIND is the forwarding's (agreement-forwarding, annual-evaluation) or the deliverable it forwards
 * (agreement, annual-report). A city commission forwards, so `forward` needs `--as` a city
 * commission's demo account locally; the province reviews (default: its admin, as for `bangfu review`).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { createWiring, forwardingActionPorts } from '../../../composition/wiring.ts';
import type { StaffIdentity } from '../../../domain/staff.ts';
import {
  acceptForwarding,
  type ForwardingActionPorts,
  type ForwardingActionResult,
  type ForwardingDocumentInput,
  forward,
  type ReturnNotice,
  returnForwarding,
  returnNoticeLine,
  returnNoticeOutcome,
} from '../../../use-cases/forwarding-actions.ts';
import type { CliContext } from '../context.ts';
import { actorFor } from './staff.ts';

const year = (value: string) => {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('must be a year, e.g. 2022');
  return Number(value);
};

export function addForwardCommands(program: Command, context: CliContext): void {
  const { io } = context;
  const run = async (
    programmeId: string,
    as: string | undefined,
    work: (ports: ForwardingActionPorts, actor: StaffIdentity) => Promise<ForwardingActionResult>,
  ) => {
    const clock = await context.clock();
    const result = await context.onTarget(async (config) => {
      const wiring = createWiring(config, { clock });
      try {
        return await work(forwardingActionPorts(wiring), await actorFor(context, config, programmeId, as));
      } finally {
        wiring.destroy();
      }
    });
    io.out(formatForwarding(result));
  };
  const asOption = '--as <email>';

  program
    .command('forward')
    .description("a city commission forwards its pairings' deliverables to the province")
    .argument('<programme>', 'programme id, e.g. fj-2021')
    .argument('<kind>', 'agreement-forwarding or annual-evaluation (or agreement, annual-report)')
    .argument('<year>', 'the year, e.g. 2022', year)
    .option('--file <pdf>', "the city's own evaluation report (a PDF)")
    .option('--generate', "the status document of the city's pairings, generated (the default)")
    .option(asOption, "act as this city commission's demo staff account (local only)")
    .action(
      async (
        programmeId: string,
        kind: string,
        y: number,
        o: { file?: string; generate?: boolean; as?: string },
      ) => {
        if (o.file && o.generate) throw new InvalidArgumentError('give --file or --generate, not both');
        const document: ForwardingDocumentInput = o.file
          ? { source: 'uploaded', bytes: new Uint8Array(await readFile(o.file)), filename: basename(o.file) }
          : { source: 'generated' };
        await run(programmeId, o.as, (ports, actor) =>
          forward(ports, actor, { programmeId, kind, year: y }, document),
        );
      },
    );

  const forwarding = program
    .command('forwarding')
    .description("the province accepts or returns a city commission's forwarding");
  const review = (name: 'accept' | 'return') =>
    forwarding
      .command(name)
      .argument('<programme>', 'programme id')
      .argument('<commission>', 'the city commission, e.g. fj-xiamen-health-commission')
      .argument('<kind>', 'agreement-forwarding or annual-evaluation')
      .argument('<year>', 'the year', year)
      .option(asOption, 'act as this demo staff account (local only; default: the provincial admin)');
  review('accept')
    .option('--reason <text>', 'a note (optional)')
    .action(
      (
        programmeId: string,
        commissionId: string,
        kind: string,
        y: number,
        o: { reason?: string; as?: string },
      ) =>
        run(programmeId, o.as, (ports, actor) =>
          acceptForwarding(ports, actor, {
            programmeId,
            commissionId,
            kind,
            year: y,
            ...(o.reason ? { reason: o.reason } : {}),
          }),
        ),
    );
  review('return')
    .requiredOption('--reason <text>', 'why it is returned: the city commission sees it')
    .action(
      (
        programmeId: string,
        commissionId: string,
        kind: string,
        y: number,
        o: { reason: string; as?: string },
      ) =>
        run(programmeId, o.as, (ports, actor) =>
          returnForwarding(ports, actor, { programmeId, commissionId, kind, year: y, reason: o.reason }),
        ),
    );
}

function formatForwarding({ forwarding, audit, commission, notice }: ForwardingActionResult): string {
  const { record } = forwarding;
  const forwarded = record.forwarded;
  return [
    `${audit.action} ${forwarding.forwarding.id} by ${audit.actor.email} (${audit.actor.role}, ${audit.actor.commissionId})` +
      (audit.reason ? `: ${audit.reason}` : ''),
    ...(audit.action === 'forward' && forwarded
      ? [
          `  accepted or exempt: ${forwarded.accepted.length}; outstanding: ${forwarded.outstanding.length}` +
            (forwarded.outstanding.length > 0 ? ` (${forwarded.outstanding.join(', ')})` : ''),
          ...(forwarded.document
            ? [
                `  document (${forwarded.document.source}): s3://${forwarded.document.bucket}/${forwarded.document.key}`,
              ]
            : []),
        ]
      : []),
    `  due ${forwarding.forwarding.effectiveDueDate}; audit entry ${audit.id}`,
    ...(notice
      ? [`  ${returnNoticeLine(commission, returnNoticeOutcome(notice))}${noticeDetail(notice)}`]
      : []),
  ].join('\n');
}

/** What kept a return's notice from going out, for the operator: the errors, the addresses left unconfirmed. */
function noticeDetail({ failed, unconfirmed }: ReturnNotice): string {
  const detail = [...failed, ...unconfirmed.map((email) => `unconfirmed: ${email}`)];
  return detail.length > 0 ? ` (${detail.join('; ')})` : '';
}
