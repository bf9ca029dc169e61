/**
 * The reporting chain's section in the rendered status documents, read back with pdftotext: the
 * report use case on the in-memory twin with both plans loaded, and the real pdfkit renderers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { pdfRenderers } from '../../functions/adapters/pdf/renderers.ts';
import type { ForwardingKind, ForwardingRecord } from '../../functions/domain/model.ts';
import { renderReport } from '../../functions/use-cases/render-report.ts';
import { pdfPages, squash } from '../integration/support/pdf-tools.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';

const bj = (local: string) => new Date(`${local}+08:00`);

let store: MemoryStore;
const text: Record<'agreements' | 'annual', string> = { agreements: '', annual: '' };
const lineWith = (doc: keyof typeof text, needle: string) =>
  text[doc].split('\n').find((line) => line.includes(needle));
/** A row of the section: its first cell is the commission (a detail row starts with its number). */
const rowOf = (doc: keyof typeof text, first: string) =>
  text[doc].split('\n').find((line) => line.trimStart().startsWith(`${first} `));

beforeAll(async () => {
  store = await seededMemoryStore();
  const forward = (
    commissionId: string,
    kind: ForwardingKind,
    year: number,
    facts: Partial<ForwardingRecord>,
  ) => store.recordForwardingFacts({ programmeId: 'fj-2021', commissionId, kind, year }, facts);
  await forward('fj-xiamen-health-commission', 'agreement-forwarding', 2022, {
    submittedAt: bj('2022-02-25T16:00:00').toISOString(),
  });
  await forward('fj-zhangzhou-health-commission', 'agreement-forwarding', 2022, {
    submittedAt: bj('2022-03-01T10:00:00').toISOString(),
  });
  await forward('fj-fuzhou-health-commission', 'agreement-forwarding', 2022, {
    submittedAt: bj('2022-02-24T16:00:00').toISOString(),
    review: { outcome: 'returned', at: bj('2022-02-25T09:00:00').toISOString(), reason: '缺少盖章页' },
  });
  await forward('fj-xiamen-health-commission', 'annual-evaluation', 2022, {
    submittedAt: bj('2022-12-12T11:00:00').toISOString(),
  });
  const generatedAt = bj('2022-12-20T10:30:00');
  const agreements = await renderReport(
    store,
    { type: 'agreements', programmeId: 'fj-2021', at: bj('2022-03-02T09:00:00'), generatedAt },
    pdfRenderers,
  );
  const annual = await renderReport(
    store,
    { type: 'annual', programmeId: 'fj-2021', year: 2022, at: bj('2022-12-20T09:00:00'), generatedAt },
    pdfRenderers,
  );
  text.agreements = (await pdfPages(agreements.pdf)).join('\n');
  text.annual = (await pdfPages(annual.pdf)).join('\n');
}, 60_000);

describe('the agreement status PDF’s 各设区市转报情况 (Fujian §三(一))', () => {
  it('prints a row per city commission with its counts, dates and state, and the direct pairings', () => {
    expect(squash(text.agreements)).toContain('三、各设区市转报情况');
    const cells = (first: string) => rowOf('agreements', first)?.trim().split(/\s+/);
    expect(cells('厦门市卫生健康委员会')).toEqual([
      '厦门市卫生健康委员会',
      '7',
      '0',
      '0',
      '7',
      '2月21日',
      '2月28日',
      '2月25日',
      '按时转报',
    ]);
    expect(cells('漳州市卫生健康委员会')).toEqual([
      '漳州市卫生健康委员会',
      '1',
      '0',
      '0',
      '1',
      '2月21日',
      '2月28日',
      '3月1日',
      '逾期转报',
    ]);
    expect(cells('福州市卫生健康委员会')?.at(-1)).toBe('已退回');
    expect(squash(text.agreements)).toContain('退回原因：缺少盖章页');
    expect(cells('泉州市卫生健康委员会')?.at(-1)).toBe('逾期未转报');
    expect(cells('省属医院直接报送')).toEqual([
      '省属医院直接报送',
      '21',
      '0',
      '0',
      '21',
      '2月28日',
      '—',
      '—',
      '—',
    ]);
  });

  it('shows each pairing’s own due date in the detail table: 21 Feb under a city, 28 Feb when direct', () => {
    expect(lineWith('agreements', ' 长泰县医院 ')).toMatch(/2月21日\s+未提交/);
    expect(lineWith('agreements', ' 松溪县医院 ')).toMatch(/2月28日\s+未提交/);
  });
});

describe('the annual summary PDF’s 各设区市转报情况 (Fujian §三(二))', () => {
  it('shows a city-routed pairing’s own date under its row, and none under a direct one', () => {
    const lines = text.annual.split('\n').filter((line) => line.trim() !== '');
    const nextLine = (needle: string) => lines[lines.findIndex((line) => line.includes(needle)) + 1]?.trim();
    expect(nextLine(' 长泰县医院 ')).toBe('截止12月2日');
    expect(nextLine(' 松溪县医院 ')).not.toContain('截止');
  });

  it('prints the cities’ evaluations of the year, a late one among them, and the direct pairings', () => {
    expect(squash(text.annual)).toContain('四、各设区市转报情况');
    expect(rowOf('annual', '厦门市卫生健康委员会')).toMatch(/12月2日\s+12月10日\s+12月12日\s+逾期转报\s*$/);
    expect(rowOf('annual', '福州市卫生健康委员会')).toMatch(/12月10日\s+—\s+逾期未转报\s*$/);
    expect(rowOf('annual', '省属医院直接报送')).toMatch(/21\s+12月10日\s+—\s+—\s+—\s*$/);
  });
});
