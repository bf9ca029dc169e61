import { describe, expect, it } from 'vitest';
import type { Institution } from '../../functions/domain/model.ts';
import { institutionDirectory, leadSupporter, pairingsFromAnnexes } from '../../functions/domain/pairings.ts';
import type { ProgrammeFile } from '../../functions/domain/seed-schema.ts';

const hospital = (
  id: string,
  name: string,
  city: string,
  managedBy: Institution['managedBy'],
): Institution => ({
  id,
  name,
  aliases: [],
  type: 'tertiary-hospital',
  place: { province: '江苏省', city },
  managedBy,
});
const provincial = hospital('js-provincial', '江苏省人民医院', '南京市', 'province');
const suzhou = hospital('js-suzhou-9', '苏州市第九人民医院', '苏州市', 'city');
const xuzhouCity = hospital('js-xuzhou-city', '徐州市中心医院', '徐州市', 'city');
const southern = {
  rule: 'southern-city-over-provincial' as const,
  southernCities: ['南京市', '无锡市', '常州市', '苏州市'],
};

describe('lead supporter', () => {
  it('Jiangsu: a southern-city hospital leads over a provincially managed one listed before it', () => {
    expect(leadSupporter(southern, [provincial, suzhou]).id).toBe('js-suzhou-9');
  });

  it('Jiangsu: without a provincially managed supporter the first listed leads', () => {
    expect(leadSupporter(southern, [xuzhouCity, suzhou]).id).toBe('js-xuzhou-city');
  });

  it('Jiangsu: a provincially managed hospital alone leads', () => {
    expect(leadSupporter(southern, [provincial]).id).toBe('js-provincial');
  });

  it('Jiangsu: a provincial and a non-southern city hospital: the first listed leads', () => {
    expect(leadSupporter(southern, [provincial, xuzhouCity]).id).toBe('js-provincial');
  });

  it('Fujian: the first listed leads', () => {
    expect(leadSupporter({ rule: 'first-listed' }, [provincial, suzhou]).id).toBe('js-provincial');
  });
});

describe('pairings from annex rows', () => {
  const recipient: Institution = {
    id: 'fj-songxi-county-hospital',
    name: '松溪县医院',
    aliases: [],
    type: 'county-hospital',
    place: { province: '福建省', city: '南平市', county: '松溪县' },
    managedBy: 'county',
  };
  const supporter: Institution = {
    ...hospital('fj-slyy', '福建省立医院', '福州市', 'province'),
    aliases: ['省立医院'],
  };
  const directory = institutionDirectory([recipient, supporter]);
  const programme = (rows: ProgrammeFile['annexes']): ProgrammeFile =>
    ({ id: 'fj-2021', leadRule: { rule: 'first-listed' }, annexes: rows }) as unknown as ProgrammeFile;

  it('merges a recipient listed at the national and the provincial level into one pairing with two levels', () => {
    const built = pairingsFromAnnexes(
      'fj.json',
      programme([
        {
          annex: '附件1',
          title: '国家级',
          taskLevel: 'national',
          category: 'general',
          rows: [{ seq: 1, recipient: '松溪县医院', supporters: ['福建省立医院'] }],
        },
        {
          annex: '附件2',
          title: '省级',
          taskLevel: 'provincial',
          category: 'general',
          rows: [{ seq: 1, recipient: '松溪县医院', supporters: ['省立医院'] }],
        },
      ]),
      directory,
    );
    expect(built.issues).toEqual([]);
    expect(built.pairings).toHaveLength(1);
    expect(built.pairings[0]).toMatchObject({
      id: 'fj-2021.fj-songxi-county-hospital',
      taskLevels: ['national', 'provincial'],
      supporterIds: ['fj-slyy'],
      leadSupporterId: 'fj-slyy',
    });
    expect(built.pairings[0]?.sources.map((s) => s.supporterNames[0])).toEqual(['福建省立医院', '省立医院']);
  });

  it('names the annex row and field of an unknown institution', () => {
    const built = pairingsFromAnnexes(
      'fj.json',
      programme([
        {
          annex: '附件1',
          title: '国家级',
          taskLevel: 'national',
          category: 'general',
          rows: [{ seq: 7, recipient: '松溪县医院', supporters: ['不存在医院'] }],
        },
      ]),
      directory,
    );
    expect(built.pairings).toEqual([]);
    expect(built.issues).toEqual([
      {
        file: 'fj.json',
        row: '附件1 序号7',
        field: 'annexes[0].rows[0].supporters[0]',
        message: 'unknown institution "不存在医院"',
      },
    ]);
  });

  it('rejects a recipient listed again with different supporters', () => {
    const built = pairingsFromAnnexes(
      'fj.json',
      programme([
        {
          annex: '附件1',
          title: '国家级',
          taskLevel: 'national',
          category: 'general',
          rows: [{ seq: 1, recipient: '松溪县医院', supporters: ['福建省立医院'] }],
        },
        {
          annex: '附件2',
          title: '省级',
          taskLevel: 'provincial',
          category: 'tcm',
          rows: [{ seq: 2, recipient: '松溪县医院', supporters: ['福建省立医院'] }],
        },
      ]),
      directory,
    );
    expect(built.issues.map((i) => i.row)).toEqual(['附件2 序号2']);
  });
});
