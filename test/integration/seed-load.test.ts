import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Institution, Pairing } from '../../functions/domain/model.ts';
import { InputRejectedError } from '../../functions/domain/validation.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { loadSeeds, type SeedInput } from '../../functions/use-cases/load-seeds.ts';
import {
  type AnnexRow,
  FUJIAN_NATIONAL,
  FUJIAN_PROVINCIAL,
  JIANGSU_CDCS,
  JIANGSU_COUNTY_HOSPITALS,
  JIANGSU_TCM_HOSPITALS,
} from './annex-expectations.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

let t: TestStack;
let institutions: Institution[];
const pairings = new Map<string, Pairing[]>();

const byId = (id: string) => institutions.find((i) => i.id === id) as Institution;
const namesOf = (i: Institution) => [i.name, ...i.aliases];
/** The pairing whose recipient the plan prints as `recipientName`. */
const pairingOf = (programmeId: string, recipientName: string) =>
  pairings.get(programmeId)?.find((p) => namesOf(byId(p.recipientId)).includes(recipientName));

beforeAll(async () => {
  t = await startTestStack();
  await loadSeeds(t.store, await readSeedFiles());
  institutions = await t.store.listInstitutions();
  for (const id of ['fj-2021', 'js-2022']) pairings.set(id, await t.store.listPairings(id));
});
afterAll(() => t?.stop());

function expectRows(programmeId: string, annex: string, rows: AnnexRow[]) {
  for (const [recipient, supporters] of rows) {
    const pairing = pairingOf(programmeId, recipient);
    expect(pairing, `${programmeId} ${annex}: ${recipient}`).toBeDefined();
    const source = pairing?.sources.find((s) => s.annex === annex && s.recipientName === recipient);
    expect(source?.supporterNames, `${annex} ${recipient} as printed`).toEqual(supporters);
    const resolved = (pairing as Pairing).supporterIds.map(byId);
    expect(resolved.length, `${annex} ${recipient} supporters`).toBe(supporters.length);
    resolved.forEach((institution, i) => {
      expect(namesOf(institution), `${annex} ${recipient} supporter ${i + 1}`).toContain(supporters[i]);
    });
  }
}

describe('seed load against the embedded stack', () => {
  it('has every row of Fujian annex 1 (national tasks) by name, merged cells included', () => {
    expectRows('fj-2021', '附件1', FUJIAN_NATIONAL);
  });

  it('has every row of Fujian annex 2 (provincial tasks) by name', () => {
    expectRows('fj-2021', '附件2', FUJIAN_PROVINCIAL);
  });

  it('has every row of Jiangsu annexes 1–3 by name', () => {
    expectRows('js-2022', '附件1', JIANGSU_COUNTY_HOSPITALS);
    expectRows('js-2022', '附件2', JIANGSU_TCM_HOSPITALS);
    expectRows('js-2022', '附件3', JIANGSU_CDCS);
  });

  it('has exactly one pairing per recipient: 34 in Fujian, 29 in Jiangsu', () => {
    const fujianRecipients = new Set([...FUJIAN_NATIONAL, ...FUJIAN_PROVINCIAL].map(([r]) => r));
    expect(fujianRecipients.size).toBe(34);
    expect(pairings.get('fj-2021')).toHaveLength(34);
    expect(pairings.get('js-2022')).toHaveLength(29);
  });

  it('merges the 10 Fujian pairings listed at both levels into one pairing with two task levels', () => {
    const both = (pairings.get('fj-2021') ?? []).filter((p) => p.taskLevels.length === 2);
    const national = new Set(FUJIAN_NATIONAL.map(([r]) => r));
    const expected = FUJIAN_PROVINCIAL.map(([r]) => r).filter((r) => national.has(r));
    expect(expected).toHaveLength(10); // annex 2 note: 省级任务中有10个任务在国家级任务（附件1）体现
    expect(both.map((p) => byId(p.recipientId).name).sort()).toEqual([...expected].sort());
    expect(pairingOf('fj-2021', '松溪县医院')?.taskLevels).toEqual(['national', 'provincial']);
    expect(pairingOf('fj-2021', '霞浦县医院')?.taskLevels).toEqual(['provincial']);
    expect(pairingOf('fj-2021', '八宿县藏医医院')?.taskLevels).toEqual(['national']);
  });

  it('one real institution is one record even under two names', () => {
    const fuzhouFirst = pairingOf('fj-2021', '八宿县人民医院')?.supporterIds[0];
    expect(fuzhouFirst).toBeDefined();
    expect(pairingOf('fj-2021', '隆德县人民医院')?.supporterIds[0]).toBe(fuzhouFirst);
    const zhongda = pairingOf('js-2022', '涟水县人民医院')?.supporterIds[1];
    expect(pairingOf('js-2022', '沭阳县第一人民医院')?.supporterIds[1]).toBe(zhongda);
    const allNames = institutions.flatMap(namesOf);
    expect(new Set(allNames).size).toBe(allNames.length);
  });

  it('Fujian: the first-listed supporter leads, a city commission leading the Quanzhou group', () => {
    for (const pairing of pairings.get('fj-2021') ?? []) {
      expect(pairing.leadSupporterId, pairing.id).toBe(pairing.supporterIds[0]);
    }
    const luolong = pairingOf('fj-2021', '洛隆县人民医院') as Pairing;
    expect(byId(luolong.leadSupporterId).type).toBe('city-health-commission');
    expect(luolong.supporterIds).toHaveLength(8);
  });

  it('Jiangsu: the southern-city hospital leads where a provincially managed hospital also supports', () => {
    const leadOf = (recipient: string) =>
      byId((pairingOf('js-2022', recipient) as Pairing).leadSupporterId).name;
    expect(leadOf('泗阳县第一人民医院')).toBe('苏州市第九人民医院');
    expect(
      byId((pairingOf('js-2022', '泗阳县第一人民医院') as Pairing).supporterIds[1] as string).managedBy,
    ).toBe('province');
    expect(leadOf('灌云县人民医院')).toBe('无锡市第二人民医院');
    expect(leadOf('涟水县人民医院')).toBe('南京鼓楼医院');
    expect(leadOf('泗洪县第一人民医院')).toMatch(/常熟市第二人民医院$/);
  });

  it('categories follow the annexes: general, TCM (incl. the Tibetan-medicine hospital), CDC', () => {
    const categoryOf = (programme: string, recipient: string) => pairingOf(programme, recipient)?.category;
    expect(categoryOf('js-2022', '灌云县人民医院')).toBe('general');
    expect(categoryOf('js-2022', '灌云县中医院')).toBe('tcm');
    expect(categoryOf('js-2022', '灌云县疾控中心')).toBe('cdc');
    expect(categoryOf('fj-2021', '西吉县中医医院')).toBe('tcm');
    expect(categoryOf('fj-2021', '八宿县藏医医院')).toBe('tcm');
    expect(categoryOf('fj-2021', '松溪县医院')).toBe('general');
  });

  it('institutions carry type and place for grouping', () => {
    const songxi = byId((pairingOf('fj-2021', '松溪县医院') as Pairing).recipientId);
    expect(songxi).toMatchObject({
      type: 'county-hospital',
      place: { province: '福建省', city: '南平市', county: '松溪县' },
    });
    const basu = byId((pairingOf('fj-2021', '八宿县藏医医院') as Pairing).recipientId);
    expect(basu).toMatchObject({
      type: 'county-ethnic-medicine-hospital',
      place: { province: '西藏自治区', city: '昌都市' },
    });
    const governments = institutions.filter((i) => i.type === 'county-government');
    expect(governments.map((g) => g.place.county)).toEqual(
      expect.arrayContaining(['松溪县', '八宿县', '盐池县', '泗阳县']),
    );
  });

  it('derives the obligations per reporting route (Jiangsu §七(一); dates are product defaults)', async () => {
    const obligations = await t.store.listObligations('js-2022');
    expect(obligations).toHaveLength(29 * 5);
    const dueDates = new Map<string, number>();
    for (const { obligation } of obligations) {
      const key = `${obligation.kind} ${obligation.dueDate}`;
      dueDates.set(key, (dueDates.get(key) ?? 0) + 1);
    }
    // 23 pairings led by southern-city institutions report to their city commission five working
    // days before its date; the 6 led by provincially managed ones report to the province directly.
    expect(Object.fromEntries([...dueDates].sort())).toEqual({
      'agreement 2022-02-21': 23,
      'agreement 2022-02-28': 6,
      'annual-report 2022-12-02': 23,
      'annual-report 2022-12-10': 6,
      'annual-report 2023-12-01': 23,
      'annual-report 2023-12-10': 6,
      'annual-report 2024-12-03': 23,
      'annual-report 2024-12-10': 6,
      'annual-report 2025-12-03': 23,
      'annual-report 2025-12-10': 6,
    });
  });

  it('derives each collecting city commission’s deliverables to the province, due on the plan’s dates', async () => {
    const forwardings = await t.store.listForwardings('js-2022');
    const commissions = new Set(forwardings.map((f) => f.forwarding.commissionId));
    expect([...commissions].sort()).toEqual([
      'js-changzhou-health-commission',
      'js-nanjing-health-commission',
      'js-suzhou-health-commission',
      'js-wuxi-health-commission',
    ]);
    expect(forwardings).toHaveLength(4 * 5);
    expect(new Set(forwardings.map((f) => `${f.forwarding.kind} ${f.forwarding.dueDate}`))).toEqual(
      new Set([
        'agreement-forwarding 2022-02-28',
        'annual-evaluation 2022-12-10',
        'annual-evaluation 2023-12-10',
        'annual-evaluation 2024-12-10',
        'annual-evaluation 2025-12-10',
      ]),
    );
    const pairings = forwardings.filter((f) => f.forwarding.kind === 'agreement-forwarding');
    expect(pairings.reduce((n, f) => n + f.forwarding.pairingIds.length, 0)).toBe(23);
  });

  it('finds the obligations due in a window through the due-date index', async () => {
    const due = await t.store.openObligationsDueBetween('fj-2021', '2022-02-01', '2022-03-31');
    expect(due).toHaveLength(34);
    expect(new Set(due.map((o) => o.obligation.kind))).toEqual(new Set(['agreement']));
    const acrossNewYear = await t.store.openObligationsDueBetween('fj-2021', '2022-12-01', '2023-12-31');
    expect(acrossNewYear).toHaveLength(68);
  });

  it('loading twice changes nothing', async () => {
    const before = await t.allItems();
    const again = await loadSeeds(t.store, await readSeedFiles());
    expect(again.institutions).toMatchObject({ created: 0, updated: 0 });
    for (const p of again.programmes) {
      expect(p.pairings).toMatchObject({ created: 0, updated: 0 });
      expect(p.obligations).toMatchObject({ created: 0, updated: 0 });
      expect(p.forwardings).toMatchObject({ created: 0, updated: 0 });
    }
    expect(await t.allItems()).toEqual(before);
  });
});

describe('rejecting bad seed files', () => {
  let empty: TestStack;
  beforeAll(async () => {
    empty = await startTestStack();
  });
  afterAll(() => empty?.stop());

  const rejectionOf = async (input: SeedInput) => {
    const error = await loadSeeds(empty.store, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejectedError);
    expect(await empty.allItems()).toEqual([]);
    return (error as InputRejectedError).issues;
  };
  const clone = async () => structuredClone(await readSeedFiles());
  const programme = (input: SeedInput, id: string) =>
    input.programmes.find((p) => (p.content as { id: string }).id === id)?.content as {
      annexes: { rows: { recipient: string; supporters: string[] }[] }[];
    };

  it('an unknown supporter: names file, annex row and field, writes nothing', async () => {
    const input = await clone();
    const row = programme(input, 'fj-2021').annexes[0]?.rows[2];
    if (!row) throw new Error('fixture');
    row.supporters = ['福建医科大学附属协和医院X'];
    const issues = await rejectionOf(input);
    expect(issues).toEqual([
      {
        file: expect.stringMatching(/fj-2021\.json$/),
        row: '附件1 序号3',
        field: 'annexes[0].rows[2].supporters[0]',
        message: 'unknown institution "福建医科大学附属协和医院X"',
      },
    ]);
  });

  it('a missing field and a bad type: each named', async () => {
    const input = await clone();
    const list = (input.institutions.content as { institutions: Record<string, unknown>[] }).institutions;
    const first = list[0] as Record<string, unknown>;
    delete first.name;
    (list[1] as Record<string, unknown>).type = 'hospital';
    const issues = await rejectionOf(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: expect.stringMatching(/institutions\.json$/),
          row: first.id,
          field: 'institutions.0.name',
        }),
        expect.objectContaining({ field: 'institutions.1.type' }),
      ]),
    );
  });

  it('an obligation kind the code does not know: names file and field, writes nothing', async () => {
    const input = await clone();
    const kinds = (programme(input, 'js-2022') as unknown as { obligationKinds: { kind: string }[] })
      .obligationKinds;
    const annual = kinds.findIndex((k) => k.kind === 'annual-report');
    (kinds[annual] as { kind: string }).kind = 'annual-reports';
    const issues = await rejectionOf(input);
    expect(issues).toEqual([
      {
        file: expect.stringMatching(/js-2022\.json$/),
        field: `obligationKinds.${annual}.kind`,
        message: 'must be one of agreement, annual-report',
      },
    ]);
  });

  it('a duplicate institution id', async () => {
    const input = await clone();
    const list = (input.institutions.content as { institutions: { id: string; name: string }[] })
      .institutions;
    list.push({ ...(list[0] as { id: string; name: string }) });
    const issues = await rejectionOf(input);
    expect(issues).toEqual([
      expect.objectContaining({ row: list[0]?.id, field: 'id', message: 'duplicate institution id' }),
    ]);
  });

  it('a name that already names another institution', async () => {
    const input = await clone();
    const list = (input.institutions.content as { institutions: { id: string; name: string }[] })
      .institutions;
    list.push({ ...(list[0] as { id: string; name: string }), id: 'js-copy' });
    const issues = await rejectionOf(input);
    expect(issues).toEqual([
      expect.objectContaining({
        row: 'js-copy',
        field: 'name',
        message: `"${list[0]?.name}" also names ${list[0]?.id}`,
      }),
    ]);
  });

  it('a recipient listed twice in one programme with different supporters', async () => {
    const input = await clone();
    const rows = programme(input, 'js-2022').annexes[0]?.rows;
    if (!rows?.[0] || !rows[1]) throw new Error('fixture');
    rows[1] = { ...rows[1], recipient: rows[0].recipient };
    const issues = await rejectionOf(input);
    expect(issues).toEqual([
      expect.objectContaining({ row: '附件1 第2行', field: 'annexes[0].rows[1].supporters' }),
    ]);
  });
});
