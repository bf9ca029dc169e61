import { describe, expect, it } from 'vitest';
import { stageText } from '../../functions/adapters/pdf/wording.ts';
import type { Obligation, ObligationRecord, Pairing, Programme } from '../../functions/domain/model.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import { agreementFormView } from '../../functions/domain/reports/agreement-form.ts';
import { agreementStatusView } from '../../functions/domain/reports/agreement-status.ts';
import { annualSummaryView } from '../../functions/domain/reports/annual-summary.ts';
import { pairingDossierView } from '../../functions/domain/reports/pairing-dossier.ts';
import {
  type ReportSnapshot,
  reportState,
  type SentReminder,
} from '../../functions/domain/reports/snapshot.ts';
import type { AuditEntry } from '../../functions/domain/staff-actions.ts';
import type { AnnualFigures, Submission } from '../../functions/domain/submission.ts';
import { obligationId, obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';
import institutionsFile from '../../seeds/institutions.json' with { type: 'json' };
import fujianFile from '../../seeds/programmes/fj-2021.json' with { type: 'json' };
import jiangsuFile from '../../seeds/programmes/js-2022.json' with { type: 'json' };

const planned = planSeeds({
  institutions: { name: 'seeds/institutions.json', content: institutionsFile },
  programmes: [
    { name: 'seeds/programmes/fj-2021.json', content: fujianFile },
    { name: 'seeds/programmes/js-2022.json', content: jiangsuFile },
  ],
});
const plan = (id: string) =>
  planned.programmes.find((p) => p.programme.id === id) as {
    programme: Programme;
    pairings: Pairing[];
  };
const FJ = plan('fj-2021');
const JS = plan('js-2022');

/** Beijing wall-clock time → instant. */
const bj = (local: string) => new Date(`${local}+08:00`);

const SONGXI = 'fj-2021.fj-songxi-county-hospital';
const SHOUNING = 'fj-2021.fj-shouning-county-hospital';
const LUOLONG = 'fj-2021.xz-luolong-county-hospital';
const BASU = 'fj-2021.xz-basu-county-hospital';
const BASU_TCM = 'fj-2021.xz-basu-tibetan-medicine-hospital';

const FIGURES: AnnualFigures = {
  stationedStaff: [
    { name: '甲', role: 'president', from: '2022-01', to: '2022-06' },
    { name: '乙', role: 'clinician', from: '2022-07', to: '2022-12' },
    { name: '丙', role: 'clinician', from: '2022-01', to: '2022-06' },
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

function submission(
  pairingId: string,
  kind: string,
  year: number,
  receivedAt: Date,
  extra: Partial<Submission> = {},
): Submission {
  return {
    id: `${pairingId}-${kind}-${year}-${receivedAt.getTime()}`,
    programmeId: pairingId.split('.')[0] as string,
    pairingId,
    obligationId: obligationId(pairingId, kind, year),
    kind,
    year,
    institutionId: 'someone',
    version: 1,
    receivedAt: receivedAt.toISOString(),
    bucket: 'b',
    key: 'k',
    sha256: '0'.repeat(64),
    size: 2048,
    contentType: 'application/pdf',
    filename: 'scan.pdf',
    ...extra,
  };
}

/** A snapshot of one programme where `records` gives facts per obligation id. */
function snapshotOf(
  p: { programme: Programme; pairings: Pairing[] },
  options: {
    records?: Record<string, ObligationRecord>;
    submissions?: Submission[];
    reminders?: SentReminder[];
    at: Date;
  },
): ReportSnapshot {
  return {
    programme: p.programme,
    institutions: planned.institutions,
    pairings: p.pairings,
    obligations: p.pairings
      .flatMap((pairing) =>
        obligationsOfPairing(p.programme, pairing, institutionDirectory(planned.institutions), prcCalendar),
      )
      .map((obligation) => ({ obligation, record: options.records?.[obligation.id] ?? {} })),
    submissions: options.submissions ?? [],
    reminders: options.reminders ?? [],
    at: options.at,
    generatedAt: bj('2022-12-31T12:00:00'),
  };
}

const agreement = (pairingId: string) => obligationId(pairingId, 'agreement', 2022);
const annual = (pairingId: string, year = 2022) => obligationId(pairingId, 'annual-report', year);

describe('reportState', () => {
  const obligation: Obligation = {
    id: 'p#agreement#2022',
    programmeId: 'fj-2021',
    pairingId: 'p',
    kind: 'agreement',
    year: 2022,
    opensOn: '2022-01-01',
    dueDate: '2022-02-28',
    effectiveDueDate: '2022-02-28',
  };
  const afterDue = bj('2022-03-10T09:00:00');

  it.each([
    [
      'submitted on the evening of the due date',
      { submittedAt: bj('2022-02-28T23:59:00').toISOString() },
      afterDue,
      'on-time',
    ],
    [
      'submitted the morning after',
      { submittedAt: bj('2022-03-01T00:00:00').toISOString() },
      afterDue,
      'late',
    ],
    ['nothing, after the due date', {}, afterDue, 'missing'],
    ['nothing, before the due date', {}, bj('2022-02-21T09:00:00'), 'pending'],
    ['nothing, before it opens', {}, bj('2021-12-01T09:00:00'), 'pending'],
    ['exempted', { exemptedAt: bj('2022-02-01T09:00:00').toISOString() }, afterDue, 'exempt'],
    [
      'accepted, submitted late',
      {
        submittedAt: bj('2022-03-02T09:00:00').toISOString(),
        review: { outcome: 'accepted' as const, at: bj('2022-03-05T09:00:00').toISOString() },
      },
      afterDue,
      'late',
    ],
    [
      'returned, after the due date',
      {
        submittedAt: bj('2022-02-20T09:00:00').toISOString(),
        review: {
          outcome: 'returned' as const,
          at: bj('2022-02-22T09:00:00').toISOString(),
          reason: '缺盖章',
        },
      },
      afterDue,
      'missing',
    ],
    [
      'extended to 15 March and submitted on the 14th',
      { extendedTo: '2022-03-15', submittedAt: bj('2022-03-14T09:00:00').toISOString() },
      afterDue,
      'on-time',
    ],
  ] as const)('%s → %s', (_, record, at, expected) => {
    const effective = {
      ...obligation,
      effectiveDueDate: (record as ObligationRecord).extendedTo ?? '2022-02-28',
    };

    expect(reportState(effective, record as ObligationRecord, at)).toBe(expected);
  });
});

describe('agreementStatusView', () => {
  const at = bj('2022-03-10T09:00:00');
  const view = agreementStatusView(
    snapshotOf(FJ, {
      at,
      records: {
        [agreement(SONGXI)]: { submittedAt: bj('2022-02-25T10:00:00').toISOString() },
        [agreement(SHOUNING)]: { submittedAt: bj('2022-03-01T08:00:00').toISOString() },
        // Recorded after the report's instant: not yet submitted as of `at`.
        [agreement(LUOLONG)]: { submittedAt: bj('2022-03-15T08:00:00').toISOString() },
      },
    }),
  );

  it('groups by the recipient’s city then county: the province’s own cities first, by pinyin', () => {
    expect(view.cities.map((c) => c.city)).toEqual([
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
    const changdu = view.cities.at(-1);
    expect(changdu?.counties.map((c) => c.county)).toEqual(['八宿县', '边坝县', '洛隆县', '左贡县']);
    // One county, two recipients: the county hospital before the Tibetan medicine hospital.
    expect(changdu?.counties[0]?.rows.map((r) => r.pairingId)).toEqual([BASU, BASU_TCM]);
  });

  it('gives each pairing its state and submission date, and totals per city and overall', () => {
    const rows = view.cities.flatMap((c) => c.counties.flatMap((county) => county.rows));
    const row = (id: string) => rows.find((r) => r.pairingId === id);

    expect(rows).toHaveLength(34);
    expect(row(SONGXI)).toMatchObject({ state: 'on-time', submittedOn: '2022-02-25', lead: '福建省立医院' });
    expect(row(SHOUNING)).toMatchObject({
      state: 'late',
      submittedOn: '2022-03-01',
      taskLevels: ['national', 'provincial'],
    });
    expect(row(LUOLONG)?.state).toBe('missing');
    expect(row(LUOLONG)?.submittedOn).toBeUndefined();
    expect(row(LUOLONG)).toMatchObject({ lead: '泉州市卫生健康委员会' });
    expect(row(LUOLONG)?.otherSupporters).toHaveLength(7);
    expect(view.totals).toEqual({ total: 34, 'on-time': 1, late: 1, missing: 32, pending: 0, exempt: 0 });
    expect(view.cities.find((c) => c.city === '南平市')?.counts).toMatchObject({
      total: 5,
      'on-time': 1,
      missing: 4,
    });
    // Fujian §三(一): through a city commission by 21 February, directly to the province by the 28th.
    expect(view.dueDates).toEqual(['2022-02-21', '2022-02-28']);
  });

  it('counts the last upload received by the instant when a later one replaced it', () => {
    const later = agreementStatusView(
      snapshotOf(FJ, {
        at,
        records: { [agreement(SONGXI)]: { submittedAt: bj('2022-03-20T10:00:00').toISOString() } },
        submissions: [
          submission(SONGXI, 'agreement', 2022, bj('2022-02-27T10:00:00')),
          submission(SONGXI, 'agreement', 2022, bj('2022-03-20T10:00:00'), { version: 2 }),
        ],
      }),
    );
    const row = later.cities
      .flatMap((c) => c.counties.flatMap((x) => x.rows))
      .find((r) => r.pairingId === SONGXI);

    expect(row).toMatchObject({ state: 'on-time', submittedOn: '2022-02-27' });
  });
});

describe('annualSummaryView', () => {
  const at = bj('2022-12-20T09:00:00');

  it('checks the targets of pairings whose report is in, with the figures of the latest upload', () => {
    const view = annualSummaryView(
      snapshotOf(FJ, {
        at,
        records: {
          [annual(SONGXI)]: { submittedAt: bj('2022-12-08T10:00:00').toISOString() },
          [annual(BASU_TCM)]: { submittedAt: bj('2022-12-12T10:00:00').toISOString() },
        },
        submissions: [
          submission(SONGXI, 'annual-report', 2022, bj('2022-12-01T10:00:00'), { figures: FIGURES }),
          // The resubmission corrects the figures: five staff now.
          submission(SONGXI, 'annual-report', 2022, bj('2022-12-08T10:00:00'), {
            version: 2,
            figures: {
              ...FIGURES,
              stationedStaff: [
                ...FIGURES.stationedStaff,
                { name: '丁', role: 'clinician', from: '2022-01', to: '2022-06' },
                { name: '戊', role: 'clinician', from: '2022-07', to: '2022-12' },
              ],
            },
          }),
          submission(BASU_TCM, 'annual-report', 2022, bj('2022-12-12T10:00:00'), { figures: FIGURES }),
        ],
      }),
      2022,
    );
    const rows = view.cities.flatMap((c) => c.counties.flatMap((x) => x.rows));
    const row = (id: string) => rows.find((r) => r.pairingId === id);

    expect(row(SONGXI)).toMatchObject({ state: 'on-time', figuresSubmitted: true, unmetCount: 0 });
    // A TCM hospital needs three stationed staff, not five.
    expect(row(BASU_TCM)).toMatchObject({ state: 'late', figuresSubmitted: true, unmetCount: 0 });
    expect(row(SHOUNING)).toMatchObject({ state: 'missing', figuresSubmitted: false, unmetCount: 7 });
    expect(view.totals).toMatchObject({ total: 34, 'on-time': 1, late: 1, missing: 32 });
    expect(view.targetTotals).toEqual({
      checked: 34,
      allMet: 2,
      someUnmet: 0,
      noFigures: 32,
      notApplicable: 0,
    });
    expect(view.perTarget.find((t) => t.targetId === 'stationed-staff')).toMatchObject({ met: 2, unmet: 32 });
    expect(view.perTarget).toHaveLength(7);
    expect(view.cities.find((c) => c.city === '西藏自治区昌都市')?.targets).toMatchObject({
      allMet: 1,
      noFigures: 4,
    });
  });

  it('leaves CDC pairings out of the target check (Jiangsu annex 3)', () => {
    const view = annualSummaryView(snapshotOf(JS, { at }), 2022);

    expect(view.targetTotals).toEqual({
      checked: 19,
      allMet: 0,
      someUnmet: 0,
      noFigures: 19,
      notApplicable: 10,
    });
    expect(view.perTarget.map((t) => t.targetId)).toEqual(['backbone-staff-trained', 'emergency-centres']);
  });

  it('reads figures stored before months were bounded as stays within the programme’s years', () => {
    const endless = Array.from({ length: 200 }, (_, i) => ({
      name: `派驻${i}`,
      role: i === 0 ? ('president' as const) : ('clinician' as const),
      from: '0000-01',
      to: '9999-12',
    }));
    const snapshot = snapshotOf(FJ, {
      at,
      records: { [annual(SONGXI)]: { submittedAt: bj('2022-12-08T10:00:00').toISOString() } },
      submissions: [
        submission(SONGXI, 'annual-report', 2022, bj('2022-12-08T10:00:00'), {
          figures: { ...FIGURES, stationedStaff: endless },
        }),
      ],
    });

    const summary = annualSummaryView(snapshot, 2022);
    const dossier = pairingDossierView(snapshot, SONGXI);

    const songxi = summary.cities
      .flatMap((c) => c.counties.flatMap((x) => x.rows))
      .find((r) => r.pairingId === SONGXI);
    expect(songxi).toMatchObject({ figuresSubmitted: true, unmetCount: 0 });
    const months = (verdicts: { targetId: string; actual?: string }[] | undefined) =>
      verdicts?.find((v) => v.targetId === 'stationed-months-min')?.actual;
    expect(months(songxi?.verdicts)).toBe('最短连续驻点60个月');
    expect(months(dossier.targets[0]?.verdicts)).toBe('最短连续驻点60个月');
  });

  it('refuses a year the plan has no annual report for', () => {
    expect(() => annualSummaryView(snapshotOf(FJ, { at }), 2021)).toThrow(/no annual report for 2021/);
  });
});

describe('pairingDossierView', () => {
  const reminder = (
    stage: string,
    day: string,
    institutionId: string,
    extra: Partial<SentReminder> = {},
  ) => ({
    pairingId: SHOUNING,
    obligationId: agreement(SHOUNING),
    kind: 'agreement',
    year: 2022,
    stage,
    day,
    email: `${institutionId}@example.org`,
    institutionId,
    field: 'to' as const,
    status: 'sent' as const,
    claimedAt: bj(`${day}T09:00:00`).toISOString(),
    sentAt: bj(`${day}T09:00:01`).toISOString(),
    ...extra,
  });

  const view = pairingDossierView(
    snapshotOf(FJ, {
      at: bj('2022-03-05T09:00:00'),
      records: { [agreement(SHOUNING)]: { submittedAt: bj('2022-03-01T08:00:00').toISOString() } },
      submissions: [
        // The store may hand submissions back without their version: numbered by arrival.
        {
          ...submission(SHOUNING, 'agreement', 2022, bj('2022-03-01T08:00:00')),
          version: undefined as unknown as number,
        },
        {
          ...submission(SHOUNING, 'agreement', 2022, bj('2022-02-27T08:00:00')),
          version: undefined as unknown as number,
        },
        submission(SONGXI, 'agreement', 2022, bj('2022-02-27T08:00:00')),
      ],
      reminders: [
        reminder('T-7', '2022-02-21', 'fj-shouning-county-hospital'),
        reminder('T-7', '2022-02-21', 'fj-fujian-provincial-hospital'),
        reminder('T+1', '2022-03-01', 'fj-shouning-county-government', {
          status: 'rejected',
          reason: 'bounced',
        }),
        reminder('T+7', '2022-03-07', 'fj-shouning-county-hospital'),
      ],
    }),
    SHOUNING,
  );

  it('names the parties, the plan rows and the commission responsible', () => {
    expect(view.pairing).toMatchObject({
      recipient: '寿宁县医院',
      recipientPlace: '福建省宁德市寿宁县',
      lead: '福建省立医院',
      countyGovernment: '寿宁县人民政府',
      // A provincially managed lead reports to the province directly (Fujian §3(1)).
      responsibleCommissions: ['福建省卫生健康委员会'],
      sources: [
        { annex: '附件1', seq: 2, taskLevel: 'national' },
        { annex: '附件2', seq: 2, taskLevel: 'provincial' },
      ],
    });
  });

  it('lists obligations by due date, this pairing’s submissions numbered, and sends up to the instant', () => {
    expect(view.obligations.map((o) => [o.kind, o.year, o.state])).toEqual([
      ['agreement', 2022, 'late'],
      ['annual-report', 2022, 'pending'],
      ['annual-report', 2023, 'pending'],
      ['annual-report', 2024, 'pending'],
      ['annual-report', 2025, 'pending'],
    ]);
    expect(view.submissions.map((s) => [s.receivedAt.slice(0, 10), s.version])).toEqual([
      ['2022-02-27', 1],
      ['2022-03-01', 2],
    ]);
    expect(view.reminders.map((r) => [r.day, r.stage, r.recipients.map((x) => x.institution)])).toEqual([
      ['2022-02-21', 'T-7', ['福建省立医院', '寿宁县医院']],
      ['2022-03-01', 'T+1', ['寿宁县人民政府']],
    ]);
    expect(view.reminders[1]?.recipients[0]).toMatchObject({ status: 'rejected', reason: 'bounced' });
    expect(view.targets).toEqual([]);
  });
});

describe('pairingDossierView: the audit log', () => {
  const actor = {
    subject: 'sub-1',
    email: 'admin@staff.bangfu.example.org',
    name: '陈主任',
    commissionId: 'fj-provincial-commission',
    role: 'admin' as const,
  };
  const entry = (id: string, at: string, extra: Partial<AuditEntry>): AuditEntry => ({
    id,
    at: bj(at).toISOString(),
    actor,
    action: 'extend',
    programmeId: 'fj-2021',
    pairingId: SHOUNING,
    ...extra,
  });
  const extension = entry(`${annual(SHOUNING, 2023)}#2`, '2022-03-02T10:00:00', {
    obligationId: annual(SHOUNING, 2023),
    reason: '疫情',
    before: {},
    after: { extendedTo: '2023-12-20' },
  });
  const revocation = entry('links-revoked#x', '2022-03-01T10:00:00', {
    action: 'links-revoked',
    actor: { ...actor, name: '王科长', commissionId: 'fj-zhangzhou-health-commission', role: 'reviewer' },
    before: { links: [{}, {}] },
    after: { links: [{}, {}] },
  });
  const view = pairingDossierView(
    {
      ...snapshotOf(FJ, { at: bj('2022-03-05T09:00:00') }),
      audit: [
        extension,
        revocation,
        entry('later', '2022-03-06T10:00:00', { action: 'exempt', obligationId: agreement(SHOUNING) }),
        entry('elsewhere', '2022-03-02T10:00:00', { pairingId: SONGXI, obligationId: agreement(SONGXI) }),
        { ...entry('sign-in#sub-1', '2022-03-02T09:00:00', { action: 'sign-in' }), pairingId: undefined },
      ],
    },
    SHOUNING,
  );

  it('lists what staff did to the pairing up to the instant, oldest first, with who and why', () => {
    expect(view.audit).toEqual([
      {
        at: revocation.at,
        actor: { name: '王科长', commission: '漳州市卫生健康委员会', role: 'reviewer' },
        action: 'links-revoked',
        links: 2,
      },
      {
        at: extension.at,
        actor: { name: '陈主任', commission: '福建省卫生健康委员会', role: 'admin' },
        action: 'extend',
        obligation: { title: '年度对口帮扶成效评估报告', year: 2023 },
        extendedTo: '2023-12-20',
        reason: '疫情',
      },
    ]);
  });

  it('is empty where staff did nothing', () => {
    expect(pairingDossierView(snapshotOf(FJ, { at: bj('2022-03-05T09:00:00') }), SHOUNING).audit).toEqual([]);
  });
});

describe('agreementFormView', () => {
  it('puts the lead first and finds the recipient county’s government', () => {
    const view = agreementFormView(snapshotOf(FJ, { at: bj('2022-01-05T09:00:00') }), LUOLONG);

    expect(view.supporters[0]).toEqual({ name: '泉州市卫生健康委员会', isHospital: false, lead: true });
    expect(view.supporters.slice(1).every((s) => s.isHospital && !s.lead)).toBe(true);
    expect(view.supporters).toHaveLength(8);
    expect(view.countyGovernment).toEqual({ name: '洛隆县人民政府', isHospital: false });
    expect(view.recipient).toEqual({
      name: '洛隆县人民医院',
      isHospital: true,
      place: '西藏自治区昌都市洛隆县',
    });
    expect(view.countyGovernmentSigns).toBe(true);
  });

  it('cites in the preamble what Fujian annex 3 cites: the national plan with its issuers only', () => {
    const view = agreementFormView(snapshotOf(FJ, { at: bj('2022-01-05T09:00:00') }), LUOLONG);

    expect(view.template).toBe('fujian-annex-3');
    expect(view.documentRefs).toEqual([
      {
        issuers:
          '国家卫生健康委员会、国家乡村振兴局、国家中医药管理局、中央军委政治工作部和中央军委后勤保障部',
        title: '关于印发“十四五”时期三级医院对口帮扶县级医院工作方案的通知',
        id: '国卫医函〔2021〕262号',
      },
    ]);
  });

  it('Jiangsu §七(三): the paired institutions only, for the plan’s term 2022–2025', () => {
    const view = agreementFormView(
      snapshotOf(JS, { at: bj('2022-01-05T09:00:00') }),
      'js-2022.js-siyang-county-first-hospital',
    );

    expect(view.supporters.map((s) => [s.name, s.lead])).toEqual([
      ['苏州市第九人民医院', true],
      ['江苏省人民医院', false],
    ]);
    expect(view.countyGovernmentSigns).toBe(false);
    expect(view.countyGovernment).toBeUndefined();
    expect(view.template).toBe('jiangsu-paired-institutions');
    expect(view.term).toEqual({ from: 2022, to: 2025 });
    expect(view.documentRefs).toEqual([
      {
        issuers: '省委办公厅、省政府办公厅',
        id: '苏办发〔2022〕13号',
        title: '关于深化南北结对帮扶合作的实施意见',
      },
    ]);
    expect(view.taskLevels).toEqual([]);
  });

  it('leaves the county government blank when the seeds name none', () => {
    const withoutGovernments = { ...snapshotOf(FJ, { at: bj('2022-01-05T09:00:00') }) };
    const view = agreementFormView(
      {
        ...withoutGovernments,
        institutions: planned.institutions.filter((i) => i.type !== 'county-government'),
      },
      SONGXI,
    );

    expect(view.countyGovernment).toBeUndefined();
  });
});

describe('the stage of a reminder log entry, in words', () => {
  it.each([
    ['T-7', '截止前7天'],
    ['T0', '截止当天'],
    ['T+1', '逾期1天'],
    ['receipt-0b0c8f2e-1111', '提交回执'],
    ['rejection-0b0c8f2e-2222', '未通过通知'],
    ['returned-3', '退回通知'],
  ])('%s reads as %s', (stage, words) => {
    expect(stageText(stage)).toBe(words);
  });
});
