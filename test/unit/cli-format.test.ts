import { describe, expect, it } from 'vitest';
import { OBLIGATION_STATES, type ObligationState } from '../../functions/domain/model.ts';
import { formatStatus } from '../../functions/local/cli/format.ts';
import type { ForwardingSummary, ObligationStatus } from '../../functions/use-cases/programme-status.ts';
import stateWords from '../../templates/states.zh.json' with { type: 'json' };

function row(state: ObligationState): ObligationStatus {
  return {
    obligationId: 'js-2022.js-siyang-first-peoples-hospital#agreement#2022',
    programme: 'js-2022',
    pairing: 'js-2022.siyang-first',
    recipient: '泗阳县第一人民医院',
    supporters: ['苏州市第九人民医院', '江苏省人民医院'],
    lead: '苏州市第九人民医院',
    category: 'general',
    taskLevels: ['provincial'],
    kind: 'agreement',
    kindTitle: '帮扶合作协议书',
    year: 2022,
    dueDate: '2022-02-28',
    effectiveDueDate: '2022-02-28',
    state,
    collectorId: 'js-suzhou-health-commission',
    collector: '苏州市卫生健康委员会',
    reportsDirectly: false,
  };
}

describe('the state words of bangfu status', () => {
  it('come from templates/states.zh.json, which names every obligation state and nothing else', () => {
    expect(Object.keys(stateWords.cli).sort()).toEqual([...OBLIGATION_STATES].sort());
    for (const words of Object.values(stateWords.cli)) expect(words).toMatch(/^\p{Script=Han}+$/u);
  });

  it.each([
    ['upcoming', '未开始'],
    ['open', '进行中'],
    ['submitted', '已按时提交'],
    ['late', '逾期提交'],
    ['overdue', '已逾期'],
    ['returned', '已退回'],
    ['accepted', '已通过'],
    ['exempt', '已豁免'],
  ] as const)('show a %s obligation as %s', (state, words) => {
    const text = formatStatus('js-2022', new Date('2022-03-01T00:00:00+08:00'), [row(state)]);
    expect(text.split('\n')[1]).toBe(
      `2022-02-28 星期一  ${state.padEnd(9)}  ${words}  帮扶合作协议书 2022  泗阳县第一人民医院 ← 苏州市第九人民医院（牵头）、江苏省人民医院`,
    );
  });
});

describe('the reporting chain in bangfu status (Jiangsu §七(一): city commissions answer for their pairings)', () => {
  const forwarding: ForwardingSummary = {
    forwardingId: 'js-2022~js-suzhou-health-commission#agreement-forwarding#2022',
    commissionId: 'js-suzhou-health-commission',
    commission: '苏州市卫生健康委员会',
    kind: 'agreement-forwarding',
    title: '结对帮扶合作协议书汇总报送',
    forwards: 'agreement',
    year: 2022,
    dueDate: '2022-02-28',
    effectiveDueDate: '2022-02-28',
    state: 'late',
    forwardedAt: '2022-03-01T02:00:00.000Z',
    pairingDueDates: ['2022-02-21'],
    tally: { pairings: 8, accepted: 6, awaitingReview: 1, outstanding: 1, exempt: 0 },
  };

  it('lists each forwarding after the obligations with its tally and the hospitals’ date, then the direct pairings', () => {
    const text = formatStatus('js-2022', new Date('2022-03-02T00:00:00+08:00'), [row('open')], {
      forwardings: [forwarding],
      direct: [
        {
          forwards: 'agreement',
          forwardsTitle: '帮扶合作协议书',
          year: 2022,
          pairingIds: ['a', 'b'],
          pairingDueDates: ['2022-02-28'],
          tally: { pairings: 2, accepted: 1, awaitingReview: 0, outstanding: 0, exempt: 1 },
        },
      ],
    });
    const lines = text.split('\n');
    expect(lines.slice(3)).toEqual([
      "City commissions' forwardings: 1 (late 1)",
      '2022-02-28 星期一  late       逾期提交  结对帮扶合作协议书汇总报送 2022  苏州市卫生健康委员会  结对 8 个：已审核通过 6，待审核 1，未完成 1；医院截止 2022-02-21；转报于 2022-03-01 10:00',
      'Direct to the province: 2 pairing deliverables',
      '2022-02-28 星期一  帮扶合作协议书 2022  省属医院直接报送  结对 2 个：已审核通过 1，待审核 0，未完成 0，免于提交 1',
    ]);
  });
});
