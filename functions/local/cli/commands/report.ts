/** `bangfu report`: one of the documents as a PDF file. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import { pdfRenderers } from '../../../adapters/pdf/renderers.ts';
import { REPORT_TYPES, type ReportType, renderReport } from '../../../use-cases/render-report.ts';
import { instant } from '../arguments.ts';
import { type CliContext, withStore } from '../context.ts';

export function addReportCommand(program: Command, { io, onTarget, now: nowOf }: CliContext): void {
  program
    .command('report')
    .description(
      'render a PDF: agreement status, annual summary, pairing dossier or pre-filled agreement form',
    )
    .addArgument(new Argument('<type>', 'document').choices(REPORT_TYPES))
    .requiredOption('--programme <id>', 'programme id, e.g. fj-2021')
    .option('--year <year>', 'plan year (annual summary)', (v) => {
      if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('must be a year, e.g. 2022');
      return Number(v);
    })
    .option('--pairing <id>', 'pairing id (dossier, form), e.g. fj-2021.fj-songxi-county-hospital')
    .addOption(
      new Option(
        '--at <instant>',
        'as of this instant (ISO); default BANGFU_NOW, the simulated clock or now',
      ).argParser(instant),
    )
    .option('--out <file>', 'where to write the PDF (default: its standard name in this folder)')
    .action(
      async (
        type: ReportType,
        options: { programme: string; year?: number; pairing?: string; at?: Date; out?: string },
      ) => {
        const now = await nowOf();
        const report = await onTarget((config) =>
          withStore(config, (store) =>
            renderReport(
              store,
              {
                type,
                programmeId: options.programme,
                ...(options.year !== undefined ? { year: options.year } : {}),
                ...(options.pairing ? { pairingId: options.pairing } : {}),
                at: options.at ?? now,
                generatedAt: now,
              },
              pdfRenderers,
            ),
          ),
        );
        const out = resolve(options.out ?? report.filename);
        await writeFile(out, report.pdf);
        io.out(`${report.title}: ${out} (${(report.pdf.length / 1024).toFixed(1)} KB)`);
      },
    );
}
