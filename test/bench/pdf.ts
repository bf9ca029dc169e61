/**
 * Each document rendered from the embedded stack's records (both plans loaded): the first render of
 * the process (fonts read and parsed) and the median of the next ones, with the PDF's size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients } from '../../functions/adapters/aws-clients.ts';
import { DynamoStore } from '../../functions/adapters/dynamo-store.ts';
import { startEmbeddedStack } from '../../functions/local/embedded-stack.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { type ReportRequest, renderReport } from '../../functions/use-cases/render-report.ts';
import { type Figures, figures, log, median, peakRssMb } from './figures.ts';

const WARM_RENDERS = 5;

export async function benchPdf(): Promise<Figures> {
  const home = await mkdtemp(join(tmpdir(), 'bangfu-bench-pdf-'));
  const stack = await startEmbeddedStack({ home, persistent: false });
  const clients = createAwsClients(stack.config);
  try {
    const store = new DynamoStore(clients.documents, stack.config.tableName);
    await loadSeeds(store, await readSeedFiles());
    const [pairing] = await store.listPairings('fj-2021');
    if (!pairing) throw new Error('fj-2021 has no pairings');
    const generatedAt = new Date('2022-12-11T09:00:00+08:00');
    const requests: ReportRequest[] = [
      { type: 'agreements', programmeId: 'fj-2021', at: new Date('2022-03-01T09:00:00+08:00'), generatedAt },
      { type: 'annual', programmeId: 'fj-2021', year: 2022, at: generatedAt, generatedAt },
      { type: 'annual', programmeId: 'js-2022', year: 2022, at: generatedAt, generatedAt },
      { type: 'pairing', programmeId: 'fj-2021', pairingId: pairing.id, at: generatedAt, generatedAt },
      { type: 'form', programmeId: 'fj-2021', pairingId: pairing.id, at: generatedAt, generatedAt },
    ];
    const rows = [];
    for (const request of requests) {
      const label = `${request.type} ${request.programmeId}${request.year ? ` ${request.year}` : ''}`;
      log(`  ${label}: 1 + ${WARM_RENDERS} renders …`);
      const times: number[] = [];
      let report: Awaited<ReturnType<typeof renderReport>> | undefined;
      for (let i = 0; i <= WARM_RENDERS; i++) {
        const started = performance.now();
        report = await renderReport(store, request);
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
    }
    return figures(rows);
  } finally {
    clients.destroy();
    await stack.stop();
    await rm(home, { recursive: true, force: true });
  }
}
