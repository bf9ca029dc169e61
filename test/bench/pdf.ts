/**
 * Each document rendered from the embedded stack's records (both plans loaded): the first render of
 * the process (fonts read and parsed) and the median of the next ones, with the PDF's size. Last, the
 * annual summary again once one hospital's report carries 200 stints from 0000-01 to 9999-12, as
 * figures stored before their months were checked can.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients } from '../../functions/adapters/aws-clients.ts';
import { DynamoStore } from '../../functions/adapters/dynamo-store.ts';
import { pdfRenderers } from '../../functions/adapters/pdf/renderers.ts';
import type { Submission } from '../../functions/domain/submission.ts';
import { obligationId } from '../../functions/domain/timeline.ts';
import { startEmbeddedStack } from '../../functions/local/embedded-stack.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { type ReportRequestInput, renderReport } from '../../functions/use-cases/render-report.ts';
import { figures, type JudgedFigures, type JudgedRow, judge, log, median, peakRssMb } from './figures.ts';

const WARM_RENDERS = 5;

export async function benchPdf(): Promise<JudgedFigures> {
  const home = await mkdtemp(join(tmpdir(), 'bangfu-bench-pdf-'));
  const stack = await startEmbeddedStack({ home, persistent: false });
  const clients = createAwsClients(stack.config);
  try {
    const store = new DynamoStore(clients.documents, stack.config.tableName);
    await loadSeeds(store, await readSeedFiles());
    const [pairing] = await store.listPairings('fj-2021');
    if (!pairing) throw new Error('fj-2021 has no pairings');
    const generatedAt = new Date('2022-12-11T09:00:00+08:00');
    const annualFj: ReportRequestInput = {
      type: 'annual',
      programmeId: 'fj-2021',
      year: 2022,
      at: generatedAt,
      generatedAt,
    };
    const requests: ReportRequestInput[] = [
      { type: 'agreements', programmeId: 'fj-2021', at: new Date('2022-03-01T09:00:00+08:00'), generatedAt },
      annualFj,
      { type: 'annual', programmeId: 'js-2022', year: 2022, at: generatedAt, generatedAt },
      { type: 'pairing', programmeId: 'fj-2021', pairingId: pairing.id, at: generatedAt, generatedAt },
      { type: 'form', programmeId: 'fj-2021', pairingId: pairing.id, at: generatedAt, generatedAt },
    ];
    const documents: { label: string; request: ReportRequestInput; before?: () => Promise<void> }[] = [
      ...requests.map((request) => ({ label: labelOf(request), request })),
      {
        label: `${labelOf(annualFj)}, 200 stints 0000–9999`,
        request: annualFj,
        before: () => submitEndlessStints(store, pairing.id, generatedAt),
      },
    ];
    const rows = [];
    const judged: JudgedRow[] = [];
    for (const { label, request, before } of documents) {
      await before?.();
      log(`  ${label}: 1 + ${WARM_RENDERS} renders …`);
      const times: number[] = [];
      let report: Awaited<ReturnType<typeof renderReport>> | undefined;
      for (let i = 0; i <= WARM_RENDERS; i++) {
        const started = performance.now();
        report = await renderReport(store, request, pdfRenderers);
        times.push(performance.now() - started);
      }
      const [first, ...warm] = times;
      rows.push({
        document: label,
        'first ms': Math.round(first ?? 0),
        'warm ms (median)': Math.round(median(warm)),
        KB: Math.round((report?.pdf.length ?? 0) / 1024),
        'peak RSS MB, stand-ins included': peakRssMb(),
      });
      judged.push(
        judge('pdf', 'seed plans')(
          `${label}: warm render ms (median of ${WARM_RENDERS})`,
          Math.round(median(warm)),
          `first ${Math.round(first ?? 0)} ms; ${Math.round((report?.pdf.length ?? 0) / 1024)} KB`,
          '',
          undefined,
        ),
      );
    }
    return { ...figures(rows), judged };
  } finally {
    clients.destroy();
    await stack.stop();
    await rm(home, { recursive: true, force: true });
  }
}

const labelOf = (request: ReportRequestInput) =>
  `${request.type} ${request.programmeId}${request.year ? ` ${request.year}` : ''}`;

/** One hospital's 2022 annual report with 200 stints over every month from year 0000 to 9999. */
async function submitEndlessStints(store: DynamoStore, pairingId: string, receivedAt: Date) {
  const submission: Omit<Submission, 'version'> = {
    id: 'bench-endless-stints',
    programmeId: 'fj-2021',
    pairingId,
    obligationId: obligationId(pairingId, 'annual-report', 2022),
    kind: 'annual-report',
    year: 2022,
    institutionId: 'bench',
    receivedAt: receivedAt.toISOString(),
    bucket: 'bangfu-uploads',
    key: `submissions/fj-2021/${pairingId}/annual-report-2022.pdf`,
    sha256: '0'.repeat(64),
    size: 2048,
    contentType: 'application/pdf',
    filename: 'annual-report.pdf',
    figures: {
      stationedStaff: Array.from({ length: 200 }, (_, i) => ({
        name: `派驻人员${i + 1}`,
        role: i === 0 ? 'vice-president' : 'clinician',
        from: '0000-01',
        to: '9999-12',
      })),
      backboneStaffTrained: 3,
      infectionControlTrainings: 1,
      emergencyCentres: {
        卒中中心: 'built',
        胸痛中心: 'built',
        创伤中心: 'built',
        危重孕产妇救治中心: 'built',
        危重儿童和新生儿救治中心: 'built',
      },
      newTechniques: 0,
      remoteConsultations: 0,
    },
  };
  await store.appendSubmission(submission);
  await store.recordObligationFacts(pairingId, 'annual-report', 2022, { submittedAt: submission.receivedAt });
}
