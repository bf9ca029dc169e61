/**
 * The status documents of a programme with 200 cities (Fujian's rules, made-up cities, 3 pairings
 * each), rendered by the real pdfkit renderers and read back page by page with pdftotext: the charts
 * by city (Fujian §三(一) agreements, §三(二) annual reports) must not spill a page per label
 * (before: 530 and 1,025 pages, most holding one number or name).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chartToDraw, MAX_BARS } from '../../functions/adapters/pdf/bar-chart.ts';
import { pdfRenderers } from '../../functions/adapters/pdf/renderers.ts';
import { renderReport } from '../../functions/use-cases/render-report.ts';
import { pdfPages } from '../integration/support/pdf-tools.ts';
import { syntheticStore } from '../support/synthetic-programme.ts';

const CITIES = 200;
const bj = (local: string) => new Date(`${local}+08:00`);
const pages: Record<'agreements' | 'annual', string[]> = { agreements: [], annual: [] };

/** A page's lines of text, without its running head and its 第 N 页 / 共 M 页 footer. */
const bodyLines = (page: string) =>
  page
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/第\s*\d+\s*页/.test(line))
    .slice(1);

beforeAll(async () => {
  const store = await syntheticStore(CITIES, 3);
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
  pages.agreements = await pdfPages(agreements.pdf);
  pages.annual = await pdfPages(annual.pdf);
}, 60_000);

const CHART_TITLES = {
  agreements: ['各地区协议书提交情况（个）'],
  annual: ['各地区年度报告提交情况（个）', '各地区帮扶目标达标情况（个）'],
} as const;

describe.each(['agreements', 'annual'] as const)(
  'the %s PDF of 200 cities × 3 pairings (Fujian §三(一), §三(二))',
  (doc) => {
    it('has no page that is all but empty', () => {
      const sparse = pages[doc]
        .map((page, i) => ({ page: i + 1, lines: bodyLines(page) }))
        .filter(({ lines }) => lines.length < 5);
      expect(sparse).toEqual([]);
    });

    it('draws each chart on one page: the 29 largest cities and one bar for the other 171, with a note', () => {
      for (const title of CHART_TITLES[doc]) {
        const on = pages[doc].filter((page) => page.includes(title));
        expect(on).toHaveLength(1);
        const page = on[0] as string;
        const chart = page.slice(page.indexOf(title));
        expect(chart).toContain('其余171个地区');
        expect(chart).toContain('100%');
        expect(chart.replace(/\s+/g, '')).toContain('共200个地区，图中列出结对关系最多的29个');
      }
    });

    it('grows with the complete tables’ rows, not a page per chart label: under one page per 10 pairings', () => {
      // The tables list every city and pairing (600 rows, 200 city bands, 200 commissions) and page
      // themselves; the charts add one page each.
      expect(pages[doc].length).toBeLessThan(600 / 10);
    });
  },
);

describe('which cities a status document’s chart by city shows when they do not fit on a page (Fujian §三(一))', () => {
  const series = [
    { label: 'a', color: '#000' },
    { label: 'b', color: '#111' },
  ];
  it('keeps a chart of up to MAX_BARS cities whole, on its counts', () => {
    const chart = {
      title: 't',
      categories: ['甲', '乙'],
      series,
      values: [
        [1, 2],
        [3, 4],
      ],
    };
    expect(chartToDraw(chart)).toMatchObject({ categories: ['甲', '乙'], shares: false });
  });

  it('shows the largest totals first (ties in the given order) and sums the rest per series', () => {
    const count = MAX_BARS + 5;
    const categories = Array.from({ length: count }, (_, i) => `城${i}`);
    // City 7 is the largest; all others tie.
    const values = categories.map((_, i) => (i === 7 ? [5, 5] : [1, 0]));
    const drawn = chartToDraw({ title: 't', categories, series, values });
    expect(drawn.shares).toBe(true);
    expect(drawn.categories).toHaveLength(MAX_BARS);
    expect(drawn.categories.slice(0, 3)).toEqual(['城7', '城0', '城1']);
    expect(drawn.categories.at(-1)).toBe('其余6个地区');
    expect(drawn.values.at(-1)).toEqual([6, 0]);
  });
});
