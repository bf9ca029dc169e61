import { describe, expect, it } from 'vitest';
import type { Target } from '../../functions/domain/model.ts';
import type { AnnualFigures, StationedStaff } from '../../functions/domain/submission.ts';
import { applicableTargets, type TargetVerdict, targetVerdicts } from '../../functions/domain/targets.ts';
import fujian from '../../seeds/programmes/fj-2021.json' with { type: 'json' };
import jiangsu from '../../seeds/programmes/js-2022.json' with { type: 'json' };

const FJ_TARGETS = fujian.targets as Target[];
const JS_TARGETS = jiangsu.targets as Target[];

const staff = (name: string, from: string, to: string, role: StationedStaff['role'] = 'clinician') => ({
  name,
  role,
  from,
  to,
});

/** Fujian §2: every target met in 2022. */
const MEETS_ALL: AnnualFigures = {
  stationedStaff: [
    staff('陈明', '2022-01', '2022-06', 'vice-president'),
    staff('林华', '2022-01', '2022-06'),
    staff('黄伟', '2022-07', '2022-12'),
    staff('吴芳', '2022-07', '2022-12', 'technician'),
    staff('郑强', '2022-03', '2022-08', 'department-head'),
  ],
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
};

function verdictOf(verdicts: TargetVerdict[], targetId: string): TargetVerdict {
  const verdict = verdicts.find((v) => v.targetId === targetId);
  if (!verdict) throw new Error(`no verdict for ${targetId}`);
  return verdict;
}

describe('targetVerdicts (Fujian §2)', () => {
  it('checks the seven per-pairing targets and skips the programme-wide one', () => {
    const verdicts = targetVerdicts(FJ_TARGETS, 'general', 2022, MEETS_ALL);

    expect(verdicts.map((v) => v.targetId)).toEqual([
      'backbone-staff-trained',
      'stationed-staff',
      'stationed-leadership',
      'stationed-months-min',
      'year-round-presence',
      'infection-control-trainings',
      'emergency-centres',
    ]);
    expect(verdicts.every((v) => v.met && v.gap === undefined)).toBe(true);
    expect(verdictOf(verdicts, 'stationed-staff')).toMatchObject({
      citation: '二、（六）',
      text: '三级医院向县级医院派驻至少5名医院管理和卫生专业技术人员（中医医院可派驻3名）',
      actual: '派驻5人',
    });
    expect(verdictOf(verdicts, 'emergency-centres').actual).toBe('已建成5/5个');
  });

  it.each([
    ['general', 3, false, '派驻人员3人，少于要求的5人'],
    ['general', 4, false, '派驻人员4人，少于要求的5人'],
    ['general', 5, true, undefined],
    ['tcm', 3, true, undefined],
    ['tcm', 2, false, '派驻人员2人，少于要求的3人'],
  ] as const)('a %s pairing with %i stationed staff: met %s', (category, count, met, gap) => {
    const figures = { ...MEETS_ALL, stationedStaff: MEETS_ALL.stationedStaff.slice(0, count) };

    const verdict = verdictOf(targetVerdicts(FJ_TARGETS, category, 2022, figures), 'stationed-staff');

    expect(verdict.met).toBe(met);
    expect(verdict.gap).toBe(gap);
  });

  it('counts a person listed for two stints once', () => {
    const figures = {
      ...MEETS_ALL,
      stationedStaff: [...MEETS_ALL.stationedStaff.slice(0, 4), staff('陈明', '2022-07', '2022-12')],
    };

    expect(verdictOf(targetVerdicts(FJ_TARGETS, 'general', 2022, figures), 'stationed-staff').gap).toBe(
      '派驻人员4人，少于要求的5人',
    );
  });

  it('needs a president or vice-president among the stationed staff', () => {
    const noLeader = MEETS_ALL.stationedStaff.map((s) => ({ ...s, role: 'clinician' as const }));
    const president = noLeader.map((s, i) => (i === 2 ? { ...s, role: 'president' as const } : s));

    expect(
      verdictOf(
        targetVerdicts(FJ_TARGETS, 'general', 2022, { ...MEETS_ALL, stationedStaff: noLeader }),
        'stationed-leadership',
      ),
    ).toMatchObject({ met: false, gap: '未派驻挂职院长或副院长', actual: '挂职院长或副院长0人' });
    expect(
      verdictOf(
        targetVerdicts(FJ_TARGETS, 'general', 2022, { ...MEETS_ALL, stationedStaff: president }),
        'stationed-leadership',
      ).met,
    ).toBe(true);
  });

  it.each([
    ['five months', [staff('赵四', '2022-01', '2022-05')], false, '赵四连续驻点5个月，不足6个月'],
    ['six months across New Year', [staff('赵四', '2021-10', '2022-03')], true, undefined],
    [
      'two back-to-back stints',
      [staff('赵四', '2022-01', '2022-03'), staff('赵四', '2022-04', '2022-06')],
      true,
      undefined,
    ],
    [
      'two stints with a gap',
      [staff('赵四', '2022-01', '2022-03'), staff('赵四', '2022-05', '2022-07')],
      false,
      '赵四连续驻点3个月，不足6个月',
    ],
    [
      'two people short',
      [staff('赵四', '2022-01', '2022-04'), staff('钱五', '2022-09', '2022-10')],
      false,
      '赵四连续驻点4个月、钱五连续驻点2个月，不足6个月',
    ],
    ['nobody stationed', [], false, '无派驻人员'],
  ] as const)('each stays six continuous months: %s', (_, stationed, met, gap) => {
    const figures = { ...MEETS_ALL, stationedStaff: [...stationed] };

    const verdict = verdictOf(targetVerdicts(FJ_TARGETS, 'general', 2022, figures), 'stationed-months-min');

    expect(verdict.met).toBe(met);
    expect(verdict.gap).toBe(gap);
  });

  it.each([
    [
      'all twelve months',
      [staff('甲', '2022-01', '2022-06'), staff('乙', '2022-06', '2022-12')],
      true,
      undefined,
    ],
    [
      'January–February and December uncovered',
      [staff('甲', '2022-03', '2022-11')],
      false,
      '1—2月、12月无派驻人员驻点',
    ],
    ['January–March only', [staff('甲', '2021-09', '2022-03')], false, '4—12月无派驻人员驻点'],
    [
      'one month missing',
      [staff('甲', '2022-01', '2022-06'), staff('乙', '2022-08', '2022-12')],
      false,
      '7月无派驻人员驻点',
    ],
    ['nobody stationed this year', [staff('甲', '2021-01', '2021-12')], false, '全年无派驻人员驻点'],
  ] as const)('someone stationed all year round: %s', (_, stationed, met, gap) => {
    const figures = { ...MEETS_ALL, stationedStaff: [...stationed] };

    const verdict = verdictOf(targetVerdicts(FJ_TARGETS, 'general', 2022, figures), 'year-round-presence');

    expect(verdict.met).toBe(met);
    expect(verdict.gap).toBe(gap);
  });

  it('does not count staff stationed only in another year', () => {
    const figures = {
      ...MEETS_ALL,
      stationedStaff: [...MEETS_ALL.stationedStaff, staff('旧人', '2021-01', '2021-12')],
    };

    expect(verdictOf(targetVerdicts(FJ_TARGETS, 'general', 2022, figures), 'stationed-staff').actual).toBe(
      '派驻5人',
    );
  });

  it('checks trained backbone staff and infection-control trainings against their minimums', () => {
    const verdicts = targetVerdicts(FJ_TARGETS, 'general', 2022, {
      ...MEETS_ALL,
      backboneStaffTrained: 2,
      infectionControlTrainings: 0,
    });

    expect(verdictOf(verdicts, 'backbone-staff-trained')).toMatchObject({
      met: false,
      gap: '培养骨干医师或医技人员2人，少于要求的3人',
    });
    expect(verdictOf(verdicts, 'infection-control-trainings')).toMatchObject({
      met: false,
      gap: '院感指导、培训0次，少于要求的1次',
    });
  });

  it('lists the emergency centres not yet built, in the plan’s order; one in progress is not built', () => {
    const verdict = verdictOf(
      targetVerdicts(FJ_TARGETS, 'general', 2022, {
        ...MEETS_ALL,
        emergencyCentres: { ...MEETS_ALL.emergencyCentres, 创伤中心: 'in-progress', 胸痛中心: 'not-started' },
      }),
      'emergency-centres',
    );

    expect(verdict).toMatchObject({ met: false, actual: '已建成3/5个', gap: '未建成：胸痛中心、创伤中心' });
  });

  it('marks every target unmet when no figures were submitted', () => {
    const verdicts = targetVerdicts(FJ_TARGETS, 'tcm', 2022, undefined);

    expect(verdicts).toHaveLength(7);
    expect(verdicts.every((v) => !v.met && v.gap === '未提交年度数据' && v.actual === undefined)).toBe(true);
  });

  it('does not apply the hospitals’ targets to CDC pairings', () => {
    expect(targetVerdicts(JS_TARGETS, 'cdc', 2022, MEETS_ALL)).toEqual([]);
    expect(targetVerdicts(JS_TARGETS, 'cdc', 2022, undefined)).toEqual([]);
    expect(applicableTargets(JS_TARGETS, 'tcm').map((t) => t.id)).toEqual([
      'backbone-staff-trained',
      'emergency-centres',
    ]);
  });

  it('says so when a target names a metric it cannot check', () => {
    const unknown: Target = {
      id: 'new-rule',
      citation: '二、（九）',
      text: '新目标',
      scope: 'pairing-year',
      metric: 'somethingNew',
      min: 1,
    };

    expect(targetVerdicts([unknown], 'general', 2022, MEETS_ALL)).toEqual([
      {
        targetId: 'new-rule',
        citation: '二、（九）',
        text: '新目标',
        met: false,
        gap: '系统无法核对该指标（somethingNew），请人工核对',
      },
    ]);
  });
});
