import { beforeEach, describe, expect, it } from 'vitest';
import { StaffForbiddenError } from '../../functions/domain/staff.ts';
import type { AnnualFigures } from '../../functions/domain/submission.ts';
import { consoleDocumentRequest, consoleDocuments } from '../../functions/use-cases/console-documents.ts';
import { programmeOverview } from '../../functions/use-cases/console-overview.ts';
import { pairingDetail, submissionDownloadUrl } from '../../functions/use-cases/console-pairing.ts';
import {
  type PairingFilters,
  pairingFiltersQuery,
  pairingList,
  parsePairingFilters,
  searchKey,
} from '../../functions/use-cases/console-pairings.ts';
import { consoleContext } from '../../functions/use-cases/console-scope.ts';
import type { DocumentPorts } from '../../functions/use-cases/documents.ts';
import {
  bj,
  type ConsoleFixture,
  consoleFixture,
  PROVINCIAL,
  QUANZHOU,
  staffOf,
  XIAMEN,
} from '../support/console-fixture.ts';

let fixture: ConsoleFixture;
let ports: { store: ConsoleFixture['store'] };
const FJ = 'fj-2021';
let LUOLONG: string;
let HUAAN: string;
const pairingOf = (recipient: string) => fixture.pairingIdOf(FJ, recipient);

beforeEach(async () => {
  fixture = await consoleFixture();
  ports = { store: fixture.store };
  LUOLONG = pairingOf('洛隆县人民医院');
  HUAAN = pairingOf('华安县医院');
});

const list = (staff = PROVINCIAL, filters: PairingFilters = {}, now = bj('2022-03-10T09:00')) =>
  pairingList(ports, staff, FJ, filters, now);
const recipients = async (filters: PairingFilters, staff = PROVINCIAL) =>
  (await list(staff, filters)).rows.map((r) => r.recipient);

describe('jurisdiction', () => {
  it('the provincial commission sees every pairing of its programme', async () => {
    const view = await list();
    expect(view.total).toBe(34);
    expect(view.rows).toHaveLength(34);
    expect((await programmeOverview(ports, PROVINCIAL, FJ, bj('2022-03-10T09:00'))).pairingCount).toBe(34);
  });

  it('the Quanzhou city commission sees only the pairing it answers for (洛隆县人民医院)', async () => {
    expect(await recipients({}, QUANZHOU)).toEqual(['洛隆县人民医院']);
    const overview = await programmeOverview(ports, QUANZHOU, FJ, bj('2022-03-10T09:00'));
    expect(overview.pairingCount).toBe(1);
    expect(overview.sections[0]?.cities.map((c) => c.city)).toEqual(['西藏自治区昌都市']);
    expect(overview.sections[0]?.totals.counts.total).toBe(1);
  });

  it('a Quanzhou account asking for a Xiamen pairing (华安县医院) is refused in the use case', async () => {
    const refused = pairingDetail(ports, QUANZHOU, HUAAN, bj('2022-03-10T09:00'));
    await expect(refused).rejects.toBeInstanceOf(StaffForbiddenError);
    await expect(refused).rejects.toMatchObject({ reason: 'jurisdiction', code: 'staff-forbidden' });
    await expect(refused).rejects.toThrow('该结对关系不在您所在卫生健康委的管辖范围内，无权查看或操作。');
    await expect(pairingDetail(ports, XIAMEN, HUAAN, bj('2022-03-10T09:00'))).resolves.toMatchObject({
      pairing: { recipient: '华安县医院' },
    });
  });

  it('refuses a download of another city’s submission and a document of another city’s pairing', async () => {
    const upload = await fixture.submit(HUAAN, 'agreement', 2022, bj('2022-02-20T10:00'), {
      contentType: 'image/jpeg',
      filename: '协议书.jpg',
      s3VersionId: 'v-7',
    });
    const download = {
      store: ports.store,
      files: {
        presignGet: async (
          o: { bucket: string; key: string; versionId?: string },
          d: { filename: string; contentType: string },
          seconds: number,
        ) =>
          `https://files.example/${o.key}?v=${o.versionId}&type=${d.contentType}&name=${d.filename}&s=${seconds}`,
      },
      settings: { presignedGetSeconds: 60 },
    };
    await expect(submissionDownloadUrl(download, QUANZHOU, HUAAN, upload.id)).rejects.toMatchObject({
      reason: 'jurisdiction',
    });
    await expect(submissionDownloadUrl(download, XIAMEN, HUAAN, upload.id)).resolves.toBe(
      `https://files.example/${upload.key}?v=v-7&type=image/jpeg&name=协议书.jpg&s=60`,
    );
    await expect(submissionDownloadUrl(download, XIAMEN, HUAAN, 'no-such-upload')).rejects.toMatchObject({
      code: 'unknown-submission',
    });
    await expect(
      consoleDocumentRequest(
        ports,
        QUANZHOU,
        FJ,
        { type: 'pairing', pairingId: HUAAN },
        bj('2022-03-10T09:00'),
      ),
    ).rejects.toMatchObject({ reason: 'jurisdiction' });
  });

  it('refuses a programme the commission answers for no pairing of, and offers only its own', async () => {
    await expect(list(staffOf('js-suzhou-health-commission'))).rejects.toMatchObject({
      reason: 'jurisdiction',
    });
    expect((await consoleContext(ports, QUANZHOU)).programmes.map((p) => p.id)).toEqual([FJ]);
    expect(await consoleContext(ports, staffOf('js-provincial-commission', 'viewer'))).toMatchObject({
      staff: { commission: '江苏省卫生健康委员会', role: 'viewer' },
      programmes: [{ id: 'js-2022' }],
    });
  });

  it('lists a city account the programme’s status documents and only its own pairings’ dossiers', async () => {
    const doc = (id: string, type: 'agreements' | 'pairing', pairingId?: string) => ({
      id,
      type,
      programmeId: FJ,
      ...(pairingId ? { pairingId } : {}),
      title: id,
      filename: `${id}.pdf`,
      bucket: 'b',
      key: `documents/${id}.pdf`,
      sha256: '0'.repeat(64),
      size: 10,
      asOf: '2022-03-01T00:00:00.000Z',
      generatedAt: '2022-03-01T00:00:00.000Z',
    });
    for (const d of [
      doc('status', 'agreements'),
      doc('luolong', 'pairing', LUOLONG),
      doc('huaan', 'pairing', HUAAN),
    ])
      await fixture.store.putDocument(d);
    const documents: DocumentPorts = {
      store: fixture.store,
      files: { put: async () => {}, presignGet: async () => '' },
      tickets: {
        issue: async (t) => `t-${t.documentId}`,
        verify: async () => ({ documentId: '', expiresAt: new Date() }),
      },
      clock: () => bj('2022-03-10T09:00'),
      settings: {
        bucket: 'b',
        publicUrl: 'https://bangfu.example',
        downloadLinkDays: 7,
        presignedGetSeconds: 60,
      },
    };
    const view = await consoleDocuments({ ...ports, documents }, QUANZHOU, FJ, bj('2022-03-10T09:00'));
    expect(view.documents.map((d) => [d.id, d.url]).sort()).toEqual([
      ['luolong', 'https://bangfu.example/d/t-luolong'],
      ['status', 'https://bangfu.example/d/t-status'],
    ]);
    expect(view.pairings.map((p) => p.recipient)).toEqual(['洛隆县人民医院']);
    expect(view.annualYears).toEqual([2022, 2023, 2024, 2025]);
  });
});

describe('the pairing list', () => {
  it('filters by city, county, task level and category', async () => {
    expect(await recipients({ city: '南平市' })).toEqual([
      '光泽县医院',
      '浦城县医院',
      '顺昌县医院',
      '松溪县医院',
      '政和县医院',
    ]);
    expect(await recipients({ city: '南平市', county: '松溪县' })).toEqual(['松溪县医院']);
    expect(await recipients({ category: 'tcm' })).toEqual(['西吉县中医医院', '八宿县藏医医院']);
    const national = await recipients({ taskLevel: 'national' });
    expect(national).toHaveLength(19);
    expect(national).not.toContain('霞浦县医院');
    expect(await recipients({ taskLevel: 'provincial', city: '西藏自治区昌都市' })).toEqual([]);
  });

  it('keeps of each pairing the obligations of the kind, year and state asked for', async () => {
    const view = await list(PROVINCIAL, { kind: 'annual-report', year: 2023 });
    expect(view.rows).toHaveLength(34);
    expect(
      view.rows.every(
        (r) => r.obligations.length === 1 && r.obligations[0]?.id.endsWith('#annual-report#2023'),
      ),
    ).toBe(true);

    const songxi = pairingOf('松溪县医院');
    await fixture.facts(songxi, 'agreement', 2022, { submittedAt: bj('2022-02-20T10:00').toISOString() });
    await fixture.act(PROVINCIAL, songxi, 'agreement', 2022, { action: 'accept' }, bj('2022-02-21T10:00'));
    await fixture.facts(LUOLONG, 'agreement', 2022, { submittedAt: bj('2022-03-02T10:00').toISOString() });
    expect(await recipients({ kind: 'agreement', outcome: 'on-time' })).toEqual(['松溪县医院']);
    expect(await recipients({ kind: 'agreement', state: 'accepted' })).toEqual(['松溪县医院']);
    expect(await recipients({ outcome: 'late' })).toEqual(['洛隆县人民医院']);
    expect(await recipients({ state: 'late' })).toEqual(['洛隆县人民医院']);
    expect((await list(PROVINCIAL, { outcome: 'missing' })).rows).toHaveLength(32);
  });

  it('searches recipients, supporters and their aliases by substring, ignoring spaces and full-width forms', async () => {
    expect(await recipients({ q: '协和' })).toEqual(['连城县医院', '光泽县医院', '顺昌县医院', '政和县医院']);
    expect(await recipients({ q: '藏医' })).toEqual(['八宿县藏医医院']);
    // 福建中医药大学附属人民医院 is an alias of 福建省人民医院.
    expect(await recipients({ q: '中医药大学' })).toEqual([
      '闽侯县医院',
      '永泰县医院',
      '浦城县医院',
      '西吉县中医医院',
    ]);
    expect(await recipients({ q: ' 泉州 市 ' })).toEqual(['洛隆县人民医院']);
    expect(await recipients({ q: 'ＸＺ-ＬＵＯＬＯＮＧ' })).toEqual(['洛隆县人民医院']);
    expect(searchKey('福建医科大学附属协和医院（ 新院区 ）')).toBe('福建医科大学附属协和医院(新院区)');
  });

  it('orders rows as the documents do: province’s cities first, by pinyin, the same every time', async () => {
    const first = await list();
    const second = await list();
    expect(first.rows.map((r) => r.pairingId)).toEqual(second.rows.map((r) => r.pairingId));
    const cities = [...new Set(first.rows.map((r) => r.city))];
    expect(cities).toEqual(first.options.cities.map((c) => c.city));
    expect(cities).toEqual([
      '福州市',
      '龙岩市',
      '南平市',
      '宁德市',
      '三明市',
      '漳州市',
      '宁夏回族自治区固原市',
      '宁夏回族自治区吴忠市',
      '西藏自治区昌都市',
    ]);
    expect(
      first.rows
        .find((r) => r.recipient === '八宿县人民医院')
        ?.obligations.map((o) => o.id.split('#').slice(1).join(' ')),
    ).toEqual([
      'agreement 2022',
      'annual-report 2022',
      'annual-report 2023',
      'annual-report 2024',
      'annual-report 2025',
    ]);
  });

  it('reads filters from a query and writes them back in one order, dropping values it does not offer', () => {
    const filters = parsePairingFilters({
      q: ' 协和 ',
      year: '2023',
      kind: 'annual-report',
      city: '南平市',
      state: 'nonsense',
      outcome: 'missing',
      taskLevel: 'national',
      category: 'cdc',
    });
    expect(filters).toEqual({
      city: '南平市',
      taskLevel: 'national',
      category: 'cdc',
      kind: 'annual-report',
      year: 2023,
      outcome: 'missing',
      q: '协和',
    });
    const query = pairingFiltersQuery(filters);
    expect(query).toBe(
      `?city=${encodeURIComponent('南平市')}&taskLevel=national&category=cdc&kind=annual-report&year=2023&outcome=missing&q=${encodeURIComponent('协和')}`,
    );
    expect(parsePairingFilters(Object.fromEntries(new URLSearchParams(query)))).toEqual(filters);
    expect(parsePairingFilters({ year: '20x3', kind: 'report' })).toEqual({});
    expect(pairingFiltersQuery({})).toBe('');
  });
});

describe('completeness and timeliness', () => {
  it('counts by city, leaving exempt and not-yet-due obligations out of the denominator', async () => {
    const submitted = async (recipient: string, at: string) =>
      fixture.facts(pairingOf(recipient), 'agreement', 2022, { submittedAt: bj(at).toISOString() });
    await submitted('光泽县医院', '2022-02-20T10:00');
    await submitted('浦城县医院', '2022-02-28T23:59');
    await submitted('顺昌县医院', '2022-03-01T00:00');
    const exempt = { action: 'exempt', reason: '合并重组' } as const;
    await fixture.act(PROVINCIAL, pairingOf('松溪县医院'), 'agreement', 2022, exempt, bj('2022-02-01T10:00'));
    // 政和县医院: nothing submitted, so missing once 28 February is over.
    const overview = await programmeOverview(ports, PROVINCIAL, FJ, bj('2022-03-10T09:00'));
    const agreements = overview.sections.find((s) => s.id === 'agreement-2022');
    const city = agreements?.cities.find((c) => c.city === '南平市');
    expect(city?.counts).toEqual({ total: 5, 'on-time': 2, late: 1, missing: 1, pending: 0, exempt: 1 });
    expect(city?.rates).toEqual({ due: 4, completeness: 75, timeliness: 50 });
    expect(agreements?.totals.counts).toMatchObject({
      total: 34,
      'on-time': 2,
      late: 1,
      missing: 30,
      exempt: 1,
    });
    expect(agreements?.totals.rates.due).toBe(33);

    const annual = overview.sections.find((s) => s.id === 'annual-report-2022');
    expect(annual?.totals.counts).toMatchObject({ total: 34, pending: 34 });
    expect(annual?.totals.rates).toEqual({ due: 0 });
  });

  it('counts an extended obligation by its new due date', async () => {
    const request = { action: 'extend', to: '2022-03-15', reason: '疫情防控' } as const;
    await fixture.act(
      PROVINCIAL,
      pairingOf('松溪县医院'),
      'agreement',
      2022,
      request,
      bj('2022-02-25T10:00'),
    );
    const overview = await programmeOverview(ports, PROVINCIAL, FJ, bj('2022-03-10T09:00'));
    const city = overview.sections[0]?.cities.find((c) => c.city === '南平市');
    expect(city?.counts).toMatchObject({ missing: 4, pending: 1 });
  });
});

describe('the plan’s timeline', () => {
  const at = async (now: Date) => (await programmeOverview(ports, PROVINCIAL, FJ, now)).timeline;

  it('marks today between the deadlines: past, the next one, later ones', async () => {
    const timeline = await at(bj('2023-06-01T09:00'));
    expect(timeline).toMatchObject({
      from: '2022-01-01',
      to: '2025-12-31',
      today: '2023-06-01',
      todayIs: 'during',
    });
    expect(timeline.milestones.map((m) => [m.sectionId, m.dueDate, m.when, m.isOpen])).toEqual([
      ['agreement-2022', '2022-02-28', 'past', false],
      ['annual-report-2022', '2022-12-10', 'past', false],
      ['annual-report-2023', '2023-12-10', 'next', false],
      ['annual-report-2024', '2024-12-10', 'later', false],
      ['annual-report-2025', '2025-12-10', 'later', false],
    ]);
    expect(timeline.milestones[2]?.daysLeft).toBe(192);
    const overview = await programmeOverview(ports, PROVINCIAL, FJ, bj('2023-06-01T09:00'));
    expect(overview.sections.filter((s) => s.isCurrent).map((s) => s.id)).toEqual(['annual-report-2022']);
  });

  it('takes today in Beijing time: half past midnight on 1 March puts 28 February behind', async () => {
    const timeline = await at(new Date('2022-02-28T16:30:00Z'));
    expect(timeline.today).toBe('2022-03-01');
    expect(timeline.milestones[0]).toMatchObject({ when: 'past', daysLeft: -1 });
    const dueDay = await at(bj('2022-02-28T23:00'));
    expect(dueDay.milestones[0]).toMatchObject({ when: 'next', isOpen: true, daysLeft: 0 });
  });

  it('says when today is before or after the plan', async () => {
    expect((await at(bj('2021-12-01T09:00'))).todayIs).toBe('before');
    const after = await at(bj('2026-01-05T09:00'));
    expect(after.todayIs).toBe('after');
    expect(after.milestones.every((m) => m.when === 'past')).toBe(true);
  });
});

describe('the pairing page', () => {
  const FIGURES: AnnualFigures = {
    stationedStaff: [{ name: '张医生', role: 'vice-president', from: '2022-01', to: '2022-12' }],
    backboneStaffTrained: 4,
    infectionControlTrainings: 2,
    emergencyCentres: {
      卒中中心: 'built',
      胸痛中心: 'built',
      创伤中心: 'in-progress',
      危重孕产妇救治中心: 'built',
      危重儿童和新生儿救治中心: 'not-started',
    },
    newTechniques: 3,
    remoteConsultations: 40,
  };

  it('shows obligations with recorded facts, every version, figures, reminders and the parties’ contacts', async () => {
    await fixture.act(
      QUANZHOU,
      LUOLONG,
      'agreement',
      2022,
      { action: 'extend', to: '2022-03-31', reason: '县政府换届' },
      bj('2022-02-25T10:00'),
    );
    const v1 = await fixture.submit(LUOLONG, 'agreement', 2022, bj('2022-03-05T10:00'));
    const v2 = await fixture.submit(LUOLONG, 'agreement', 2022, bj('2022-03-20T10:00'));
    await fixture.facts(LUOLONG, 'agreement', 2022, { submittedAt: bj('2022-03-20T10:00').toISOString() });
    await fixture.act(
      QUANZHOU,
      LUOLONG,
      'agreement',
      2022,
      { action: 'return', reason: '缺少县政府盖章' },
      bj('2022-03-21T10:00'),
    );
    await fixture.facts(LUOLONG, 'annual-report', 2022, {
      submittedAt: bj('2022-12-01T10:00').toISOString(),
    });
    await fixture.submit(LUOLONG, 'annual-report', 2022, bj('2022-12-01T10:00'), { figures: FIGURES });
    await fixture.remind({
      programmeId: FJ,
      pairingId: LUOLONG,
      obligationId: `${LUOLONG}#agreement#2022`,
      kind: 'agreement',
      year: 2022,
      stage: 'T+1',
      day: '2022-03-01',
      email: 'xz-luolong-county-hospital@example.org',
      institutionId: 'xz-luolong-county-hospital',
      field: 'to',
      claimedAt: bj('2022-03-01T09:00').toISOString(),
      sentAt: bj('2022-03-01T09:00:05').toISOString(),
    });
    await fixture.store.markAddressRejected({
      email: 'XZ-Luolong-County-Government@example.org',
      rejectedAt: bj('2022-03-01T09:01').toISOString(),
      reason: 'mailbox does not exist',
      source: 'bounce',
    });

    const view = await pairingDetail(ports, QUANZHOU, LUOLONG, bj('2023-01-05T09:00'));
    expect(view.pairing).toMatchObject({
      recipient: '洛隆县人民医院',
      lead: '泉州市卫生健康委员会',
      city: '西藏自治区昌都市',
      county: '洛隆县',
      countyGovernment: '洛隆县人民政府',
    });
    const agreement = view.obligations.find((o) => o.kind === 'agreement');
    expect(agreement).toMatchObject({
      extendedTo: '2022-03-31',
      effectiveDueDate: '2022-03-31',
      timelineState: 'returned',
      state: 'missing',
      versions: 2,
      review: { outcome: 'returned', reason: '缺少县政府盖章' },
    });
    expect(view.submissions.map((s) => [s.id, s.version, s.obligationId.split('#')[1]])).toEqual([
      [v1.id, 1, 'agreement'],
      [v2.id, 2, 'agreement'],
      ['slot-annual-report-2022-1', 1, 'annual-report'],
    ]);
    expect(view.figures).toHaveLength(1);
    expect(view.figures[0]).toMatchObject({ year: 2022, version: 1, figures: { backboneStaffTrained: 4 } });
    expect(view.figures[0]?.verdicts.length).toBeGreaterThan(0);
    expect(view.reminders).toEqual([
      expect.objectContaining({
        stage: 'T+1',
        day: '2022-03-01',
        recipients: [
          expect.objectContaining({
            institution: '洛隆县人民医院',
            sentAt: bj('2022-03-01T09:00:05').toISOString(),
          }),
        ],
      }),
    ]);
    expect(view.contacts.map((c) => [c.role, c.institution])).toEqual([
      ['recipient', '洛隆县人民医院'],
      ['lead-supporter', '泉州市卫生健康委员会'],
      ['other-supporter', '泉州市第一医院'],
      ['other-supporter', '泉州市儿童医院'],
      ['other-supporter', '南安市总医院'],
      ['other-supporter', '晋江市总医院'],
      ['other-supporter', '安溪县总医院'],
      ['other-supporter', '泉州市中医院'],
      ['other-supporter', '石狮市总医院'],
      ['county-government', '洛隆县人民政府'],
    ]);
    const government = view.contacts.at(-1)?.contacts[0];
    expect(government).toMatchObject({
      email: 'xz-luolong-county-government@example.org',
      phone: '000-0000-0155',
      addressProblem: { source: 'bounce', reason: 'mailbox does not exist' },
    });
    expect(view.contacts[0]?.contacts[0]?.addressProblem).toBeUndefined();
    expect(view.audit?.map((e) => [e.action, e.reason, e.actor.name, e.commission])).toEqual([
      ['extend', '县政府换届', '测试审核员', '泉州市卫生健康委员会'],
      ['return', '缺少县政府盖章', '测试审核员', '泉州市卫生健康委员会'],
    ]);
  });

  it('leaves out uploads and actions after the instant asked for', async () => {
    await fixture.submit(LUOLONG, 'agreement', 2022, bj('2022-03-05T10:00'));
    await fixture.act(
      QUANZHOU,
      LUOLONG,
      'agreement',
      2022,
      { action: 'exempt', reason: '撤并' },
      bj('2022-03-06T10:00'),
    );
    const view = await pairingDetail(ports, PROVINCIAL, LUOLONG, bj('2022-03-01T10:00'));
    expect(view.submissions).toEqual([]);
    expect(view.audit).toEqual([]);
    expect(view.obligations[0]?.timelineState).toBe('overdue');
  });
});
