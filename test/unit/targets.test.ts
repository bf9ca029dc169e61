import { describe, expect, it } from 'vitest';
import type { Target } from '../../functions/domain/model.ts';
import { targetSchema } from '../../functions/domain/seed-schema.ts';
import {
  type AnnualFigures,
  annualFiguresSchemaFor,
  type StationedStaff,
} from '../../functions/domain/submission.ts';
import {
  applicableTargets,
  programmeTargets,
  type TargetVerdict,
  targetVerdicts,
} from '../../functions/domain/targets.ts';
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

const MEETS_ALL_CENTRES = Object.keys(MEETS_ALL.emergencyCentres);

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
      judged: 'each-year',
      criterion: '当年派驻医院管理和卫生专业技术人员不少于5名（受援医院为中医医院的不少于3名）',
      outcome: 'met',
      actual: '派驻5人',
    });
    expect(verdictOf(verdicts, 'emergency-centres').actual).toBe('已建成5个、建设中0个');
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

  it.each([
    ['one centre being built', { 创伤中心: 'in-progress' }, 'met', '已建成0个、建设中1个', undefined],
    ['one built', { 胸痛中心: 'built' }, 'met', '已建成1个、建设中0个', undefined],
    ['none started', {}, 'unmet', '已建成0个、建设中0个', '五大中心均未启动建设'],
  ] as const)(
    'Fujian §二(一) asks to help strengthen the centres, not build all five: %s',
    (_, started, outcome, actual, gap) => {
      const notStarted = Object.fromEntries(MEETS_ALL_CENTRES.map((c) => [c, 'not-started']));
      const figures = { ...MEETS_ALL, emergencyCentres: { ...notStarted, ...started } as never };

      const verdict = verdictOf(targetVerdicts(FJ_TARGETS, 'general', 2022, figures), 'emergency-centres');

      expect(verdict).toMatchObject({ judged: 'each-year', outcome, met: outcome === 'met', actual });
      expect(verdict.gap).toBe(gap);
    },
  );

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
      basis: { source: 'plan', section: '二、（九）' },
      text: '新目标',
      scope: 'pairing-year',
      judged: 'each-year',
      met: '新目标达成',
      metric: 'somethingNew',
      min: 1,
    };

    expect(targetVerdicts([unknown], 'general', 2022, MEETS_ALL)).toEqual([
      {
        targetId: 'new-rule',
        citation: '二、（九）',
        text: '新目标',
        judged: 'each-year',
        criterion: '新目标达成',
        outcome: 'unmet',
        met: false,
        gap: '系统无法核对该指标（somethingNew），请人工核对',
      },
    ]);
  });
});

describe('targetVerdicts on figures stored before their months were bounded', () => {
  /** 200 rows as one hospital once submitted them: every month from year 0000 to 9999. */
  const endless = (name: (i: number) => string) =>
    Array.from({ length: 200 }, (_, i) =>
      staff(name(i), '0000-01', '9999-12', i === 0 ? 'vice-president' : 'clinician'),
    );

  it('checks 200 stints from 0000-01 to 9999-12 as stays within the programme’s years', () => {
    const figures = { ...MEETS_ALL, stationedStaff: endless((i) => `派驻${i}`) };

    const verdicts = targetVerdicts(FJ_TARGETS, 'general', 2022, figures, fujian);

    expect(verdicts.every((v) => v.met)).toBe(true);
    expect(verdictOf(verdicts, 'stationed-staff').actual).toBe('派驻200人');
    expect(verdictOf(verdicts, 'stationed-leadership').actual).toBe('挂职院长或副院长1人');
    // Clipped to 2021-01..2025-12: the longest stay the programme's figures can describe.
    expect(verdictOf(verdicts, 'stationed-months-min').actual).toBe('最短连续驻点60个月');
    expect(verdictOf(verdicts, 'year-round-presence').actual).toBe('驻点覆盖12个月');
  });

  it('counts one person listed 200 times from 0000-01 to 9999-12 once', () => {
    const figures = { ...MEETS_ALL, stationedStaff: endless(() => '赵四') };

    const verdicts = targetVerdicts(FJ_TARGETS, 'general', 2022, figures, fujian);

    expect(verdictOf(verdicts, 'stationed-staff').gap).toBe('派驻人员1人，少于要求的5人');
    expect(verdictOf(verdicts, 'stationed-leadership').met).toBe(true);
    expect(verdictOf(verdicts, 'year-round-presence').met).toBe(true);
  });

  it('does not count stints wholly outside the programme’s years', () => {
    const figures = {
      ...MEETS_ALL,
      stationedStaff: [staff('甲', '0000-01', '0001-12'), staff('乙', '9000-01', '9999-12')],
    };

    const verdicts = targetVerdicts(FJ_TARGETS, 'general', 2022, figures, fujian);

    expect(verdictOf(verdicts, 'stationed-staff').gap).toBe('派驻人员0人，少于要求的5人');
    expect(verdictOf(verdicts, 'year-round-presence').gap).toBe('全年无派驻人员驻点');
  });

  it('counts nobody for a name of zero-width spaces, and the same name with one inside once', () => {
    const figures = {
      ...MEETS_ALL,
      stationedStaff: [
        ...MEETS_ALL.stationedStaff,
        staff('\u200b\u200b\u200b', '2022-01', '2022-12', 'president'),
        staff('陈\u200b明', '2022-07', '2022-12'),
      ],
    };

    const verdicts = targetVerdicts(FJ_TARGETS, 'general', 2022, figures, fujian);

    expect(verdictOf(verdicts, 'stationed-staff').actual).toBe('派驻5人');
    expect(verdictOf(verdicts, 'stationed-leadership').actual).toBe('挂职院长或副院长1人');
    expect(verdictOf(verdicts, 'stationed-months-min').actual).toBe('最短连续驻点6个月');
  });
});

describe('Jiangsu §三(二): all five centres built by 2025, judged at the plan’s end', () => {
  const withCentres = (built: number) => ({
    ...MEETS_ALL,
    emergencyCentres: Object.fromEntries(
      MEETS_ALL_CENTRES.map((c, i) => [c, i < built ? 'built' : 'in-progress']),
    ) as never,
  });

  it.each([2022, 2023, 2024])('shows progress, not unmet, in %i with three of five built', (year) => {
    const verdict = verdictOf(
      targetVerdicts(JS_TARGETS, 'general', year, withCentres(3)),
      'emergency-centres',
    );

    expect(verdict).toMatchObject({
      judged: 'plan-end',
      outcome: 'progress',
      met: false,
      actual: '已建成3/5个，2025年底前全部建成',
    });
    expect(verdict.gap).toBeUndefined();
  });

  it('is unmet in 2025 with a centre still not built, naming it', () => {
    const verdict = verdictOf(
      targetVerdicts(JS_TARGETS, 'general', 2025, withCentres(4)),
      'emergency-centres',
    );

    expect(verdict).toMatchObject({
      outcome: 'unmet',
      actual: '已建成4/5个',
      gap: '未建成：危重儿童和新生儿救治中心',
    });
  });

  it('is met in 2025, and already in 2023, with all five built', () => {
    for (const year of [2023, 2025]) {
      const verdict = verdictOf(
        targetVerdicts(JS_TARGETS, 'general', year, withCentres(5)),
        'emergency-centres',
      );
      expect(verdict, String(year)).toMatchObject({ outcome: 'met', met: true, actual: '已建成5/5个' });
    }
  });

  it('counts only the unmet, not progress, in an annual summary row', () => {
    const verdicts = targetVerdicts(JS_TARGETS, 'general', 2022, withCentres(0));

    expect(verdicts.map((v) => [v.targetId, v.outcome])).toEqual([
      ['backbone-staff-trained', 'met'],
      ['emergency-centres', 'progress'],
    ]);
  });
});

describe('comparisons with the minimum', () => {
  const target = (comparison: Target['comparison']): Target => ({
    id: 'trained',
    citation: '一、（二）',
    basis: { source: 'plan', section: '一、（二）' },
    text: '超过3名',
    scope: 'pairing-year',
    judged: 'each-year',
    met: '超过3名',
    metric: 'backboneStaffTrained',
    min: 3,
    comparison,
  });

  it.each([
    ['at-least', 3, true],
    ['more-than', 3, false],
    ['more-than', 4, true],
  ] as const)(
    '%s %i against a minimum of 3: met %s (Jiangsu §一(二) 超过 is strictly greater)',
    (comparison, n, met) => {
      const [verdict] = targetVerdicts([target(comparison)], 'general', 2022, {
        ...MEETS_ALL,
        backboneStaffTrained: n,
      });

      expect(verdict?.met).toBe(met);
    },
  );

  it('says the figure is not above the minimum when a more-than target is missed', () => {
    const [verdict] = targetVerdicts([target('more-than')], 'general', 2022, MEETS_ALL);

    expect(verdict?.gap).toBe('培养骨干3人，未超过3');
  });
});

describe('programme-wide targets', () => {
  it('Jiangsu §一(二): the recommended standard rate must exceed 60%, the basic one reach 90%', () => {
    const byId = new Map(JS_TARGETS.map((t) => [t.id, t]));

    expect(byId.get('county-hospitals-recommended-standard')).toMatchObject({
      min: 0.6,
      comparison: 'more-than',
      judged: 'plan-end',
      by: 2025,
    });
    expect(byId.get('county-hospitals-basic-standard')).toMatchObject({ min: 0.9, comparison: 'at-least' });
  });

  it('Jiangsu §一(二): lists the new county maternal and child hospitals at level 2, not judged, with why', () => {
    const statuses = programmeTargets(JS_TARGETS);

    expect(statuses.map((s) => s.targetId)).toEqual([
      'county-hospitals-basic-standard',
      'county-hospitals-recommended-standard',
      'township-centres-basic-standard',
      'township-centres-recommended-standard',
      'new-county-mch-hospitals-level2',
    ]);
    expect(statuses.at(-1)).toMatchObject({
      citation: '一、（二）',
      text: '县级妇幼保健机构综合服务短板逐步补齐，新建县级妇幼保健院全部达到二级标准',
      judged: 'plan-end',
      by: 2025,
      criterion: '到2025年新建县级妇幼保健院全部达到二级标准',
    });
    expect(statuses.every((s) => s.notJudged.startsWith('系统不核对：'))).toBe(true);
  });

  it('Fujian §一(三): every county over 50,000 residents, not one county, has a level-2 county hospital', () => {
    const [level2] = programmeTargets(FJ_TARGETS);
    const target = FJ_TARGETS.find((t) => t.id === 'counties-with-level2-hospital');

    expect(level2?.criterion).toBe('常住人口超过5万人的每个县均至少有1所县级医院达到二级医院医疗服务能力');
    // A share of those counties, all of them: 1 means 100%.
    expect(target).toMatchObject({
      metric: 'level2HospitalShareOfCountiesOver50k',
      min: 1,
      judged: 'plan-end',
    });
  });

  it('never judges a programme-wide target per pairing', () => {
    expect(targetVerdicts(JS_TARGETS, 'general', 2025, MEETS_ALL).map((v) => v.targetId)).toEqual([
      'backbone-staff-trained',
      'emergency-centres',
    ]);
  });
});

describe('targetSchema: every target carries its basis and when it is judged', () => {
  const [first] = JS_TARGETS;

  it('accepts every target of both plans', () => {
    for (const t of [...FJ_TARGETS, ...JS_TARGETS])
      expect(targetSchema.safeParse(t).success, t.id).toBe(true);
  });

  it.each([
    [
      'a basis section other than the citation',
      { basis: { source: 'plan', section: '三、（二）' } },
      'basis.section',
    ],
    ['a plan-end target without its year', { judged: 'plan-end', by: undefined }, 'by'],
    ['no basis', { basis: undefined }, 'basis'],
    ['no met wording', { met: undefined }, 'met'],
  ])('refuses %s (Jiangsu §三(一))', (_, change, path) => {
    const issues = targetSchema.safeParse({ ...first, ...change }).error?.issues ?? [];

    expect(issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('a stay crossing New Year', () => {
  it.each([
    ['one stint from September into next February', [staff('赵四', '2022-09', '2023-02')], 2022],
    ['the same stint in next year’s report', [staff('赵四', '2022-09', '2023-02')], 2023],
    [
      'two back-to-back stints either side of New Year',
      [staff('赵四', '2021-11', '2022-01'), staff('赵四', '2022-02', '2022-04', 'vice-president')],
      2022,
    ],
  ] as const)('is one continuous run of six months: %s', (_, stationed, year) => {
    const figures = { ...MEETS_ALL, stationedStaff: [...stationed] };

    const verdict = verdictOf(
      targetVerdicts(FJ_TARGETS, 'general', year, figures, fujian),
      'stationed-months-min',
    );

    expect(verdict).toMatchObject({ met: true, actual: '最短连续驻点6个月' });
  });

  it('covers only the report year’s months', () => {
    const figures = { ...MEETS_ALL, stationedStaff: [staff('赵四', '2022-09', '2023-02')] };

    expect(
      verdictOf(targetVerdicts(FJ_TARGETS, 'general', 2022, figures, fujian), 'year-round-presence').gap,
    ).toBe('1—8月无派驻人员驻点');
    expect(
      verdictOf(targetVerdicts(FJ_TARGETS, 'general', 2023, figures, fujian), 'year-round-presence').gap,
    ).toBe('3—12月无派驻人员驻点');
  });
});

describe('annualFiguresSchemaFor (Fujian, the 2022 report)', () => {
  const schema = annualFiguresSchemaFor(fujian, 2022);
  /** The first problem, as the upload endpoint reports it: path and message. */
  const firstIssue = (figures: unknown) => {
    const issue = schema.safeParse(figures).error?.issues[0];
    return issue && { path: issue.path.join('.'), message: issue.message };
  };
  const withStaff = (...stationed: object[]) => ({ ...MEETS_ALL, stationedStaff: stationed });

  it('accepts figures that meet the targets, a stay begun the year before and one running into next year', () => {
    expect(schema.safeParse(MEETS_ALL).success).toBe(true);
    expect(
      schema.safeParse(withStaff(staff('赵四', '2021-01', '2022-03'), staff('钱五', '2022-10', '2025-12')))
        .success,
    ).toBe(true);
  });

  it.each([
    ['from', '0000-01', '2022-06'],
    ['to', '2022-01', '9999-12'],
    ['from', '2020-12', '2022-06'],
    ['to', '2022-01', '2026-01'],
  ] as const)(
    'refuses a %s month of %s–%s outside the programme’s years, naming row and field',
    (field, from, to) => {
      const stationed = [...MEETS_ALL.stationedStaff.slice(0, 3), staff('赵四', from, to)];

      expect(firstIssue(withStaff(...stationed))).toEqual({
        path: `stationedStaff.3.${field}`,
        message: '月份应在 2021年1月 至 2025年12月 之间',
      });
    },
  );

  it.each([
    ['ended before the year', staff('旧人', '2021-01', '2021-12'), 'to', '结束月份不能早于 2022年1月'],
    ['starts after the year', staff('新人', '2023-01', '2023-06'), 'from', '开始月份不能晚于 2022年12月'],
  ])('refuses a stint that %s: it is not this year’s', (_, stint, field, message) => {
    const issue = firstIssue(withStaff(stint));

    expect(issue?.path).toBe(`stationedStaff.0.${field}`);
    expect(issue?.message).toContain(message);
  });

  it('still refuses an end month before the start month and a month not written YYYY-MM', () => {
    expect(firstIssue(withStaff(staff('赵四', '2022-06', '2022-03')))).toEqual({
      path: 'stationedStaff.0.to',
      message: '结束月份不能早于开始月份',
    });
    expect(firstIssue(withStaff(staff('赵四', '2022-6', '2022-09')))).toEqual({
      path: 'stationedStaff.0.from',
      message: '应为 YYYY-MM 格式',
    });
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b\u200b'],
    ['a byte-order mark', '\ufeff'],
    ['a soft hyphen and a word joiner', '\u00ad\u2060'],
    ['control characters and spaces', ' \u0007\t\u3000'],
    ['a Hangul filler', '\u3164'],
    ['a braille blank and dashes', '\u2800——'],
  ])('refuses a name made only of %s', (_, name) => {
    expect(firstIssue(withStaff(staff(name, '2022-01', '2022-06')))).toEqual({
      path: 'stationedStaff.0.name',
      message: '请填写姓名',
    });
  });

  it('keeps names without their invisible characters', () => {
    const parsed = schema.parse(withStaff(staff('\ufeff 陈\u200b明\u00ad ', '2022-01', '2022-06')));

    expect(parsed.stationedStaff[0]?.name).toBe('陈明');
  });

  it.each([
    ['backboneStaffTrained', 1001, '应为 0 至 1000 之间的整数'],
    ['backboneStaffTrained', -1, '应为 0 至 1000 之间的整数'],
    ['infectionControlTrainings', 366, '应为 0 至 365 之间的整数'],
    ['newTechniques', 1.5, '应为 0 至 1000 之间的整数'],
    ['remoteConsultations', 100_001, '应为 0 至 100000 之间的整数'],
    ['remoteConsultations', '12', '应为 0 至 100000 之间的整数'],
  ])('refuses %s of %s with the range it allows', (field, value, message) => {
    expect(firstIssue({ ...MEETS_ALL, [field]: value })).toEqual({ path: field, message });
  });

  it('refuses more than 100 stationed-staff rows', () => {
    const rows = Array.from({ length: 101 }, (_, i) => staff(`派驻${i}`, '2022-01', '2022-06'));

    expect(firstIssue(withStaff(...rows))).toEqual({
      path: 'stationedStaff',
      message: '派驻人员最多填写 100 条',
    });
  });
});
