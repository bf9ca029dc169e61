import { describe, expect, it } from 'vitest';
import { OBLIGATION_STATES, type ObligationState } from '../../functions/domain/model.ts';
import { formatStatus } from '../../functions/local/cli/format.ts';
import type { ObligationStatus } from '../../functions/use-cases/programme-status.ts';
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
    kindTitle: '对口帮扶协议书',
    year: 2022,
    dueDate: '2022-02-28',
    effectiveDueDate: '2022-02-28',
    state,
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
      `2022-02-28 星期一  ${state.padEnd(9)}  ${words}  对口帮扶协议书 2022  泗阳县第一人民医院 ← 苏州市第九人民医院（牵头）、江苏省人民医院`,
    );
  });
});
