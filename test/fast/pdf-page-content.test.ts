/**
 * A long status document keeps its footers, "第 n 页 / 共 N 页" on every page, while each finished
 * page's drawing operations are joined into one chunk: what lets the annual summary of a national
 * programme be laid out within a Lambda's memory (the bench measures how much).
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { joinContent } from '../../functions/adapters/pdf/layout.ts';
import { pdfRenderers } from '../../functions/adapters/pdf/renderers.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { renderReport } from '../../functions/use-cases/render-report.ts';
import { syntheticPlan } from '../bench/synthetic/synthetic-plan.ts';
import { pdfPages } from '../integration/support/pdf-tools.ts';

describe('page content of a long document', () => {
  it('joins a finished page’s chunks into one, byte for byte', () => {
    const content = { buffer: [Buffer.from('BT /F1 8 Tf\n'), Buffer.from('(第) Tj\n'), Buffer.from('ET\n')] };
    const before = Buffer.concat(content.buffer);

    joinContent(content);

    expect(content.buffer).toHaveLength(1);
    expect(Buffer.from(content.buffer[0] as Uint8Array).equals(before)).toBe(true);
  });

  it('an annual summary of 600 pairings (Fujian §三(二)) numbers every page against the total', async () => {
    const plan = syntheticPlan({ pairings: 600, seed: 1 });
    const store = new MemoryStore();
    await loadSeeds(store, {
      institutions: { name: 'synthetic/institutions.json', content: plan.institutions },
      programmes: [{ name: `synthetic/programmes/${plan.programme.id}.json`, content: plan.programme }],
    });
    const at = new Date('2022-12-20T01:00:00.000Z');

    const report = await renderReport(
      store,
      { type: 'annual', programmeId: plan.programme.id, year: 2022, at, generatedAt: at },
      pdfRenderers,
    );

    const pages = await pdfPages(report.pdf);
    expect(pages.length).toBeGreaterThan(20);
    pages.forEach((page, i) => {
      expect(page.replace(/\s+/g, ' '), `page ${i + 1}`).toContain(`第 ${i + 1} 页 / 共 ${pages.length} 页`);
    });
  }, 60_000);
});
