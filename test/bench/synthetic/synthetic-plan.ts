/**
 * A synthetic programme at a chosen scale, shaped like the Fujian plan (seeds/programmes/fj-2021.json):
 * its obligation kinds, targets, reporting chain and reminder stages, with annexes generated to the
 * size asked for. Deterministic: the same pairings and seed give the same files, byte for byte.
 *
 * The directory it needs: the programme's province (甲省) with its provincial commission and a
 * provincial capital whose tertiary hospitals are provincially managed (they report to the province
 * directly, Fujian §三(一)); every city with a health commission (the collector of its hospitals'
 * deliverables) and tertiary supporters; every county with its government (the third party of the
 * Fujian agreement, §三(一) and annex 3) and two recipients, the county hospital and the county TCM
 * hospital. Like Fujian annex 1, a share of the national task's counties lie in two other provinces
 * (乙省, 丙省) and are supported from the programme's province.
 */

import type { InstitutionsFile, ProgrammeFile } from '../../../functions/domain/seed-schema.ts';
import fujian from '../../../seeds/programmes/fj-2021.json' with { type: 'json' };

export interface SyntheticPlanOptions {
  /** Pairings to generate: one per recipient, two recipients per county. */
  pairings: number;
  /** The random choices' seed (supporters, annex membership). */
  seed?: number;
}

export interface SyntheticPlan {
  institutions: InstitutionsFile;
  programme: ProgrammeFile;
  /** `institution,role,name,email,phone`: a contact per institution and role. */
  roster: string;
  /** What was generated, for the bench's labels. */
  counts: { pairings: number; institutions: number; contacts: number; counties: number; cities: number };
}

type Institution = InstitutionsFile['institutions'][number];
type AnnexRow = ProgrammeFile['annexes'][number]['rows'][number];

export const SYNTHETIC_PROGRAMME_ID = 'sy-bench';
const PROVINCE = '甲省';
/** The national task's other provinces, as Fujian annex 1 lists 西藏 and 宁夏 beside 福建. */
const OTHER_PROVINCES = ['乙省', '丙省'] as const;
const COUNTIES_PER_CITY = 10;
/** Share of counties outside the programme's province (Fujian annex 1: 9 of 19 rows). */
const OUTSIDE_SHARE = 0.1;
/** Share of the programme province's county hospitals that carry the national task too. */
const NATIONAL_SHARE = 0.3;
/** Share of the national rows repeated in the provincial annex (Fujian: 10 tasks in both). */
const BOTH_LEVELS_SHARE = 0.5;
/** Share of rows whose lead is a provincially managed hospital of the capital (reports directly). */
const PROVINCIAL_LEAD_SHARE = 0.2;
/** The roles every institution's roster has, as the demo roster names them. */
export const ROSTER_ROLES = [
  { role: '联络员', mailbox: 'liaison' },
  { role: '分管领导', mailbox: 'lead' },
] as const;

/** mulberry32: a small seeded generator, so a scale is the same programme on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface City {
  province: string;
  name: string;
  supporters: { general: Institution[]; tcm: Institution[] };
}

interface County {
  city: City;
  name: string;
  hospital: Institution;
  tcm: Institution | undefined;
}

export function syntheticPlan({ pairings, seed = 1 }: SyntheticPlanOptions): SyntheticPlan {
  if (!Number.isInteger(pairings) || pairings < 2) throw new RangeError('pairings must be an integer ≥ 2');
  const pick = random(seed);
  const choose = <T>(from: readonly T[]): T => from[Math.floor(pick() * from.length)] as T;
  const institutions: Institution[] = [];
  const add = (institution: Institution) => {
    institutions.push(institution);
    return institution;
  };

  add({
    id: 'sy-provincial-commission',
    name: `${PROVINCE}卫生健康委员会`,
    aliases: [],
    type: 'provincial-commission',
    place: { province: PROVINCE },
    managedBy: 'province',
  });

  const countyCount = Math.ceil(pairings / 2);
  const outside = Math.round(countyCount * OUTSIDE_SHARE);
  const cities: City[] = [];
  const newCity = (province: string, index: number, supported: boolean): City => {
    const name = `${province.slice(0, 1)}${index}市`;
    const key = `sy-${province === PROVINCE ? 'a' : province === OTHER_PROVINCES[0] ? 'b' : 'c'}${index}`;
    add({
      id: `${key}-health-commission`,
      name: `${name}卫生健康委员会`,
      aliases: [],
      type: 'city-health-commission',
      place: { province, city: name },
      managedBy: 'city',
    });
    const city: City = { province, name, supporters: { general: [], tcm: [] } };
    if (supported) {
      // The capital's tertiary hospitals are provincially managed (省属), as Fujian's in 福州市 are.
      const managedBy = index === 1 ? 'province' : 'city';
      for (let h = 1; h <= 3; h++) {
        city.supporters.general.push(
          add({
            id: `${key}-hospital-${h}`,
            name: `${name}第${h}人民医院`,
            aliases: [],
            type: 'tertiary-hospital',
            place: { province, city: name },
            managedBy,
          }),
        );
      }
      city.supporters.tcm.push(
        add({
          id: `${key}-tcm-hospital`,
          name: `${name}中医院`,
          aliases: [],
          type: 'tertiary-tcm-hospital',
          place: { province, city: name },
          managedBy,
        }),
      );
    }
    cities.push(city);
    return city;
  };

  const counties: County[] = [];
  let remainingPairings = pairings;
  const addCounties = (province: string, count: number, supported: boolean) => {
    let city: City | undefined;
    for (let c = 0; c < count; c++) {
      if (c % COUNTIES_PER_CITY === 0)
        city = newCity(province, cities.filter((x) => x.province === province).length + 1, supported);
      const home = city as City;
      const name = `${home.name}${(c % COUNTIES_PER_CITY) + 1}县`;
      const key = `sy-county-${counties.length + 1}`;
      const place = { province, city: home.name, county: name };
      add({
        id: `${key}-government`,
        name: `${name}人民政府`,
        aliases: [],
        type: 'county-government',
        place,
        managedBy: 'county',
      });
      const hospital = add({
        id: `${key}-hospital`,
        name: `${name}医院`,
        aliases: [],
        type: 'county-hospital',
        place,
        managedBy: 'county',
      });
      remainingPairings--;
      const tcm =
        remainingPairings > 0
          ? add({
              id: `${key}-tcm-hospital`,
              name: `${name}中医医院`,
              aliases: [],
              type: 'county-tcm-hospital',
              place,
              managedBy: 'county',
            })
          : undefined;
      if (tcm) remainingPairings--;
      counties.push({ city: home, name, hospital, tcm });
    }
  };
  addCounties(PROVINCE, countyCount - outside, true);
  OTHER_PROVINCES.forEach((province, p) => {
    const share = Math.floor(outside / 2) + (p === 0 ? outside % 2 : 0);
    addCounties(province, share, false);
  });

  const supportingCities = cities.filter((c) => c.supporters.general.length > 0);
  const capital = supportingCities[0] as City;
  /** The row's supporters: mostly one, sometimes two or three, once in a while eight (Fujian annex 1 序号17). */
  const supportersOf = (county: County, kind: 'general' | 'tcm'): string[] => {
    const home = county.city.supporters[kind].length > 0 ? county.city : choose(supportingCities);
    const first =
      pick() < PROVINCIAL_LEAD_SHARE ? choose(capital.supporters[kind]) : choose(home.supporters[kind]);
    const roll = pick();
    const count = roll < 0.01 ? 8 : roll < 0.06 ? 3 : roll < 0.2 ? 2 : 1;
    const chosen = [first];
    for (let tries = 0; chosen.length < count && tries < 50; tries++) {
      const next = choose(choose(supportingCities).supporters[pick() < 0.7 ? 'general' : 'tcm']);
      if (!chosen.includes(next)) chosen.push(next);
    }
    return chosen.map((s) => s.name);
  };

  const national: AnnexRow[] = [];
  const provincial: AnnexRow[] = [];
  const provincialTcm: AnnexRow[] = [];
  const shortProvince = (province: string) => province.replace(/省$/, '');
  for (const county of counties) {
    const inProvince = county.city.province === PROVINCE;
    const general: AnnexRow = {
      county: county.name,
      recipient: county.hospital.name,
      supporters: supportersOf(county, 'general'),
    };
    const isNational = !inProvince || pick() < NATIONAL_SHARE;
    if (isNational) {
      national.push({ seq: national.length + 1, province: shortProvince(county.city.province), ...general });
      if (inProvince && pick() < BOTH_LEVELS_SHARE)
        provincial.push({ seq: provincial.length + 1, ...general });
    } else {
      provincial.push({ seq: provincial.length + 1, ...general });
    }
    if (county.tcm) {
      const tcm: AnnexRow = {
        county: county.name,
        recipient: county.tcm.name,
        supporters: supportersOf(county, 'tcm'),
      };
      // A TCM hospital in the national table carries its own category, as Fujian annex 1 does.
      if (!inProvince)
        national.push({
          seq: national.length + 1,
          province: shortProvince(county.city.province),
          ...tcm,
          category: 'tcm',
        });
      else provincialTcm.push({ seq: provincialTcm.length + 1, ...tcm });
    }
  }

  const template = fujian as unknown as ProgrammeFile;
  type Annex = ProgrammeFile['annexes'][number];
  const { note: _note, ...nationalAnnex } = template.annexes[0] as Annex;
  const { note: _note2, ...provincialAnnex } = template.annexes[1] as Annex;
  const annexes: Annex[] = [
    { ...nationalAnnex, rows: national },
    { ...provincialAnnex, rows: provincial },
    {
      annex: '附件3',
      title: '省级任务-三级医院对口帮扶县级中医医院关系表',
      taskLevel: 'provincial',
      category: 'tcm',
      rows: provincialTcm,
    },
  ];
  const planYears = [2022, 2023, 2024, 2025, 2026];
  const programme: ProgrammeFile = {
    ...template,
    id: SYNTHETIC_PROGRAMME_ID,
    name: `${PROVINCE}三级医院对口帮扶县级医院工作方案（基准测试，${pairings}对）`,
    shortName: `${PROVINCE}对口帮扶（基准测试）`,
    province: PROVINCE,
    provincialCommission: `${PROVINCE}卫生健康委员会`,
    planYears,
    obligationKinds: template.obligationKinds.map((kind) =>
      kind.kind === 'annual-report' ? { ...kind, years: planYears } : kind,
    ),
    annexes: annexes.filter((annex) => annex.rows.length > 0),
  };

  const lines = ['institution,role,name,email,phone'];
  let contact = 0;
  for (const institution of institutions) {
    for (const { role, mailbox } of ROSTER_ROLES) {
      contact++;
      const serial = String(contact).padStart(8, '0');
      lines.push(
        `${institution.name},${role},联络人${serial},${institution.id}-${mailbox}@example.org,000-${serial}`,
      );
    }
  }
  return {
    institutions: { institutions },
    programme: JSON.parse(JSON.stringify(programme)) as ProgrammeFile,
    roster: `${lines.join('\n')}\n`,
    counts: {
      pairings,
      institutions: institutions.length,
      contacts: contact,
      counties: counties.length,
      cities: cities.length,
    },
  };
}
