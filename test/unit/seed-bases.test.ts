import { describe, expect, it } from 'vitest';
import { programmeFileSchema } from '../../functions/domain/seed-schema.ts';
import fujian from '../../seeds/programmes/fj-2021.json' with { type: 'json' };
import jiangsu from '../../seeds/programmes/js-2022.json' with { type: 'json' };

const kind = (programme: typeof fujian | typeof jiangsu, name: string) =>
  programme.obligationKinds.find((k) => k.kind === name);

describe('every date rule in the programme seeds says where it comes from', () => {
  it('Fujian §三(一): the agreement opens in January and is due by 28 February, as the plan says', () => {
    expect(kind(fujian, 'agreement')).toMatchObject({
      opens: '01-01',
      opensBasis: { source: 'plan', section: '三、（一）' },
      due: '02-28',
      dueBasis: { source: 'plan', section: '三、（一）' },
    });
  });

  it('Fujian §三(二): the annual report is due by 10 December; its opening day is a product default', () => {
    expect(kind(fujian, 'annual-report')).toMatchObject({
      due: '12-10',
      dueBasis: { source: 'plan', section: '三、（二）' },
      opensBasis: { source: 'product-default' },
    });
  });

  it('Jiangsu §七(二)–(三) give no dates: every Jiangsu date is a product default with its reason', () => {
    for (const rule of jiangsu.obligationKinds) {
      expect(rule.opensBasis.source, rule.kind).toBe('product-default');
      expect(rule.dueBasis.source, rule.kind).toBe('product-default');
      expect((rule.dueBasis as { reason: string }).reason, rule.kind).toMatch(/未规定/);
    }
  });

  it('the reminder stages are a product default in both plans, which set none', () => {
    for (const programme of [fujian, jiangsu]) {
      expect(programme.reminderStagesBasis, programme.id).toMatchObject({ source: 'product-default' });
    }
  });

  it.each([
    [
      'an obligation kind without dueBasis',
      { obligationKinds: [{ ...kind(fujian, 'agreement'), dueBasis: undefined }] },
      'obligationKinds.0.dueBasis',
    ],
    [
      'an obligation kind without opensBasis',
      { obligationKinds: [{ ...kind(fujian, 'agreement'), opensBasis: undefined }] },
      'obligationKinds.0.opensBasis',
    ],
    ['no reminderStagesBasis', { reminderStagesBasis: undefined }, 'reminderStagesBasis'],
    [
      'a product default without its reason',
      { reminderStagesBasis: { source: 'product-default' } },
      'reminderStagesBasis.reason',
    ],
  ])('refuses %s (Fujian §三(一))', (_, change, path) => {
    const issues = programmeFileSchema.safeParse({ ...fujian, ...change }).error?.issues ?? [];

    expect(issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('accepts both programme seeds as they ship', () => {
    expect(programmeFileSchema.safeParse(fujian).success).toBe(true);
    expect(programmeFileSchema.safeParse(jiangsu).success).toBe(true);
  });
});

describe('the agreement form rule (Fujian 附件3, Jiangsu §七(三))', () => {
  it('Fujian: tripartite, the county government signs', () => {
    expect(fujian.agreementForm).toMatchObject({ template: 'fujian-annex-3', countyGovernmentSigns: true });
  });

  it('Jiangsu: between the paired institutions, no county government, and none reminded', () => {
    expect(jiangsu.agreementForm).toMatchObject({
      template: 'jiangsu-paired-institutions',
      countyGovernmentSigns: false,
      basis: { source: 'plan', section: '七、（三）' },
    });
    const agreement = kind(jiangsu, 'agreement');
    const parties = [
      ...(agreement?.remind.to ?? []),
      ...(agreement?.remind.cc ?? []),
      ...(agreement?.submittedBy ?? []),
    ];
    expect(parties).not.toContain('county-government');
    expect(agreement?.deliverable).not.toContain('人民政府');
  });
});
