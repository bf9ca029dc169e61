/** The bench's own judgements that are not timings: which Monday it ticks, which pages it calls near-empty. */
import { describe, expect, it } from 'vitest';
import { busyDayOf, mondayOf, nearEmptyPages } from '../bench/scale.ts';
import { syntheticPlan } from '../bench/synthetic/synthetic-plan.ts';

const HEAD = '甲省对口帮扶（基准测试）\n2022年度对口帮扶工作汇总';
const foot = (n: number, of: number) => `生成时间：2022年12月11日 09:00（北京时间）\n第${n}页/共${of}页`;
const ROW = '12 甲1市5县中医医院 甲1市中医院 未提交 — × × × × × × ×';
const page = (n: number, of: number, body: string) => `${HEAD}\n${body}\n${foot(n, of)}`;

describe('near-empty pages of a PDF (the annual summary, Fujian §三(二))', () => {
  it('counts a page with only the running head, the foot and one cell as near-empty', () => {
    const pages = [
      page(1, 4, ROW.repeat(20)),
      page(2, 4, ROW.repeat(20)),
      page(3, 4, '未提交'),
      page(4, 4, `${ROW}\n${ROW}`),
    ];
    expect(nearEmptyPages(pages)).toEqual([3]);
  });

  it('does not count cells repeated on every page as the running head', () => {
    const pages = [1, 2, 3].map((n) => page(n, 3, `${ROW}\n${ROW}`));
    expect(nearEmptyPages(pages)).toEqual([]);
  });
});

describe('the Monday the bench ticks (Fujian §三(一): agreements open 1 January, due 28 February)', () => {
  it('is the first working day of a week after the busy day, in the agreement deadline', () => {
    const plan = syntheticPlan({ pairings: 60, seed: 1 });
    const input = {
      institutions: { name: 'institutions.json', content: plan.institutions },
      programmes: [{ name: 'programme.json', content: plan.programme }],
    };
    const busy = busyDayOf(input);
    expect(busy).toBe('2022-02-18');
    expect(mondayOf(input, busy)).toBe('2022-02-21');
  });
});
