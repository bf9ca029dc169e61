import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charactersMissingFromFont } from '../../functions/adapters/pdf/fonts.ts';
import { pdfRenderers } from '../../functions/adapters/pdf/renderers.ts';
import { createWiring, obligationActionPorts } from '../../functions/composition/wiring.ts';
import type { Institution, Pairing, Programme } from '../../functions/domain/model.ts';
import type { ReminderRecord } from '../../functions/domain/records.ts';
import type { StaffIdentity } from '../../functions/domain/staff.ts';
import type { AnnualFigures, Submission } from '../../functions/domain/submission.ts';
import { obligationId } from '../../functions/domain/timeline.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { revokePairingLinks } from '../../functions/use-cases/link-actions.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { actOnObligation } from '../../functions/use-cases/obligation-actions.ts';
import { UnknownProgrammeError } from '../../functions/use-cases/programme-status.ts';
import { recordSignIn } from '../../functions/use-cases/record-sign-in.ts';
import {
  type RenderedReport,
  ReportRequestError,
  type ReportRequestInput,
  renderReport,
} from '../../functions/use-cases/render-report.ts';
import {
  type GreyImage,
  inkShare,
  pageImages,
  pdfFonts,
  pdfInfo,
  pdfPages,
  savePageOne,
  squash,
} from './support/pdf-tools.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

/** Beijing wall-clock time → instant. */
const bj = (local: string) => new Date(`${local}+08:00`);

const AGREEMENTS_AT = bj('2022-03-10T09:00:00');
const ANNUAL_AT = bj('2022-12-20T09:00:00');
const GENERATED_AT = bj('2022-12-20T10:30:00');
const GENERATED_TEXT = '生成时间：2022年12月20日 10:30（北京时间）';

const SONGXI = 'fj-2021.fj-songxi-county-hospital';
const SHOUNING = 'fj-2021.fj-shouning-county-hospital';
const HUAAN = 'fj-2021.fj-huaan-county-hospital';
const LUOLONG = 'fj-2021.xz-luolong-county-hospital';
const BASU_TCM = 'fj-2021.xz-basu-tibetan-medicine-hospital';
const ZHENGHE = 'fj-2021.fj-zhenghe-county-hospital';
const SIYANG = 'js-2022.js-siyang-county-first-hospital';
const GUANYUN_TCM = 'js-2022.js-guanyun-county-tcm-hospital';
const GUANYUN_CDC = 'js-2022.js-guanyun-county-cdc';

const ALL_CENTRES_BUILT: AnnualFigures['emergencyCentres'] = {
  卒中中心: 'built',
  胸痛中心: 'built',
  创伤中心: 'built',
  危重孕产妇救治中心: 'built',
  危重儿童和新生儿救治中心: 'built',
};

/** Meets every Fujian target: five staff, a vice-president, six months each, all year covered. */
const MEETS_ALL: AnnualFigures = {
  stationedStaff: [
    { name: '陈明', role: 'vice-president', from: '2022-01', to: '2022-06' },
    { name: '林华', role: 'clinician', from: '2022-01', to: '2022-06' },
    { name: '黄伟', role: 'clinician', from: '2022-07', to: '2022-12' },
    { name: '吴芳', role: 'technician', from: '2022-07', to: '2022-12' },
    { name: '郑强', role: 'department-head', from: '2022-03', to: '2022-08' },
  ],
  backboneStaffTrained: 3,
  infectionControlTrainings: 1,
  emergencyCentres: ALL_CENTRES_BUILT,
  newTechniques: 4,
  remoteConsultations: 120,
};

/** Misses most targets: four staff, one of them four months, January–February uncovered … */
const MISSES_MANY: AnnualFigures = {
  stationedStaff: [
    { name: '王一', role: 'president', from: '2022-03', to: '2022-08' },
    { name: '李二', role: 'clinician', from: '2022-03', to: '2022-10' },
    { name: '张三', role: 'clinician', from: '2022-05', to: '2022-12' },
    { name: '赵四', role: 'technician', from: '2022-09', to: '2022-12' },
  ],
  backboneStaffTrained: 2,
  infectionControlTrainings: 0,
  emergencyCentres: { ...ALL_CENTRES_BUILT, 胸痛中心: 'not-started', 创伤中心: 'in-progress' },
  newTechniques: 1,
  remoteConsultations: 10,
};

/** Everything but a president or vice-president among the stationed staff. */
const NO_LEADER: AnnualFigures = {
  ...MEETS_ALL,
  stationedStaff: MEETS_ALL.stationedStaff.map((s) => ({ ...s, role: 'clinician' as const })),
  backboneStaffTrained: 4,
  infectionControlTrainings: 2,
};

/** A TCM hospital: three staff are enough (Fujian §2(6): 中医医院可派驻3名). */
const TCM_THREE_STAFF: AnnualFigures = {
  stationedStaff: [
    { name: '次仁', role: 'vice-president', from: '2022-01', to: '2022-12' },
    { name: '旦增', role: 'clinician', from: '2022-01', to: '2022-06' },
    { name: '扎西', role: 'clinician', from: '2022-07', to: '2022-12' },
  ],
  backboneStaffTrained: 3,
  infectionControlTrainings: 1,
  emergencyCentres: ALL_CENTRES_BUILT,
  newTechniques: 2,
  remoteConsultations: 30,
};

let t: TestStack;
let institutions: Institution[];
let programmes: Programme[];
const pairings = new Map<string, Pairing[]>();
const documents = new Map<string, RenderedReport & { pages: string[]; ms: number }>();

const nameOf = (id: string) => institutions.find((i) => i.id === id)?.name ?? id;
const doc = (name: string) => documents.get(name) as RenderedReport & { pages: string[]; ms: number };
const textOf = (name: string) => doc(name).pages.join('\n');
/** The line of the layout text holding `needle`: a table row's first line. */
const lineWith = (name: string, needle: string | RegExp) =>
  textOf(name)
    .split('\n')
    .find((line) => (typeof needle === 'string' ? line.includes(needle) : needle.test(line)));

async function submit(
  pairingId: string,
  kind: string,
  year: number,
  receivedAt: Date,
  options: { figures?: AnnualFigures; filename: string },
) {
  const pairing = [...pairings.values()].flat().find((p) => p.id === pairingId) as Pairing;
  const submission: Omit<Submission, 'version'> = {
    id: `slot-${pairingId}-${kind}-${year}`,
    programmeId: pairing.programmeId,
    pairingId,
    obligationId: obligationId(pairingId, kind, year),
    kind,
    year,
    institutionId: kind === 'agreement' ? pairing.leadSupporterId : pairing.recipientId,
    receivedAt: receivedAt.toISOString(),
    bucket: 'bangfu-uploads',
    key: `uploads/${pairingId}/${kind}/${year}/slot.pdf`,
    sha256: 'f'.repeat(64),
    size: 245_760,
    contentType: 'application/pdf',
    filename: options.filename,
    ...(options.figures ? { figures: options.figures } : {}),
  };
  await t.store.appendSubmission(submission);
  await t.store.recordObligationFacts(pairingId, kind, year, { submittedAt: submission.receivedAt });
}

async function remind(
  pairingId: string,
  kind: string,
  year: number,
  stage: string,
  day: string,
  to: { institutionId: string; field: 'to' | 'cc'; rejected?: string }[],
) {
  for (const r of to) {
    const email = `${r.institutionId}@example.org`;
    const sentAt = bj(`${day}T09:00:05`).toISOString();
    const record: ReminderRecord = {
      programmeId: 'fj-2021',
      pairingId,
      obligationId: obligationId(pairingId, kind, year),
      kind,
      year,
      stage,
      day,
      email,
      institutionId: r.institutionId,
      field: r.field,
      status: 'dispatched',
      runId: `tick-${day}`,
      claimedAt: sentAt,
    };
    expect(await t.store.claimReminders([record], sentAt)).toBe(true);
    await t.store.completeReminders(
      [record],
      r.rejected
        ? { status: 'rejected', reason: r.rejected }
        : { status: 'sent', sentAt, messageId: `msg-${day}-${stage}` },
    );
  }
}

async function render(name: string, request: Omit<ReportRequestInput, 'generatedAt'>) {
  const started = performance.now();
  const rendered = await renderReport(t.store, { ...request, generatedAt: GENERATED_AT }, pdfRenderers);
  const ms = Math.round(performance.now() - started);
  documents.set(name, { ...rendered, pages: await pdfPages(rendered.pdf), ms });
}

beforeAll(async () => {
  t = await startTestStack();
  await loadSeeds(t.store, await readSeedFiles());
  institutions = await t.store.listInstitutions();
  programmes = await t.store.listProgrammes();
  for (const id of ['fj-2021', 'js-2022']) pairings.set(id, await t.store.listPairings(id));

  // Agreements: three on time, two late, one after the report's instant. Fujian §三(一): due Monday
  // 28 February 2022 for pairings led by a provincially managed hospital (松溪, 寿宁, 政和), five
  // working days earlier (21 February) for those reporting through a city commission (华安, 洛隆, 八宿).
  await submit(SONGXI, 'agreement', 2022, bj('2022-02-25T10:00:00'), { filename: '松溪县协议书.pdf' });
  await submit(HUAAN, 'agreement', 2022, bj('2022-02-21T23:30:00'), { filename: 'huaan.pdf' });
  await submit(LUOLONG, 'agreement', 2022, bj('2022-02-20T15:00:00'), { filename: 'luolong.pdf' });
  await submit(SHOUNING, 'agreement', 2022, bj('2022-03-01T08:00:00'), { filename: '寿宁县三方协议.pdf' });
  await submit(BASU_TCM, 'agreement', 2022, bj('2022-03-03T16:00:00'), { filename: 'basu.pdf' });
  await submit(ZHENGHE, 'agreement', 2022, bj('2022-03-15T11:00:00'), { filename: 'zhenghe.pdf' });

  // Annual reports for 2022 (Fujian §三(二): due Saturday 10 December 2022 directly, Friday 2 December
  // through a city commission).
  await submit(SONGXI, 'annual-report', 2022, bj('2022-12-05T10:00:00'), {
    figures: MEETS_ALL,
    filename: '松溪县2022年度报告.pdf',
  });
  await submit(HUAAN, 'annual-report', 2022, bj('2022-12-02T17:00:00'), {
    figures: NO_LEADER,
    filename: 'h.pdf',
  });
  await submit(BASU_TCM, 'annual-report', 2022, bj('2022-12-01T12:00:00'), {
    figures: TCM_THREE_STAFF,
    filename: 'b.pdf',
  });
  await submit(SHOUNING, 'annual-report', 2022, bj('2022-12-12T09:30:00'), {
    figures: MISSES_MANY,
    filename: '寿宁县2022年度报告.pdf',
  });

  // Shouning's reminder log: the agreement's T-7 and T+1 (one address rejected), the report's T-3.
  const lead = 'fj-fujian-provincial-hospital';
  const hospital = 'fj-shouning-county-hospital';
  const government = 'fj-shouning-county-government';
  const acting = [
    { institutionId: lead, field: 'to' as const },
    { institutionId: hospital, field: 'to' as const },
    { institutionId: government, field: 'to' as const },
  ];
  await remind(SHOUNING, 'agreement', 2022, 'T-7', '2022-02-21', acting);
  await remind(SHOUNING, 'agreement', 2022, 'T+1', '2022-03-01', [
    ...acting.slice(0, 2),
    { institutionId: government, field: 'to', rejected: 'MessageRejected: address blacklisted' },
    { institutionId: 'fj-provincial-commission', field: 'to' },
  ]);
  await remind(SHOUNING, 'annual-report', 2022, 'T-3', '2022-12-07', acting.slice(0, 2));

  await render('agreements', { type: 'agreements', programmeId: 'fj-2021', at: AGREEMENTS_AT });
  await render('annual', { type: 'annual', programmeId: 'fj-2021', year: 2022, at: ANNUAL_AT });
  await render('annual-js', { type: 'annual', programmeId: 'js-2022', year: 2022, at: ANNUAL_AT });
  await render('dossier', { type: 'pairing', programmeId: 'fj-2021', pairingId: SHOUNING, at: ANNUAL_AT });
  await render('form', { type: 'form', programmeId: 'fj-2021', pairingId: LUOLONG, at: ANNUAL_AT });
  await render('form-js', { type: 'form', programmeId: 'js-2022', pairingId: SIYANG, at: ANNUAL_AT });
  await render('form-js-tcm', {
    type: 'form',
    programmeId: 'js-2022',
    pairingId: GUANYUN_TCM,
    at: ANNUAL_AT,
  });
  await render('form-js-cdc', {
    type: 'form',
    programmeId: 'js-2022',
    pairingId: GUANYUN_CDC,
    at: ANNUAL_AT,
  });
}, 60_000);

afterAll(async () => {
  for (const [name, d] of documents) {
    console.info(
      `${name}: ${d.filename}, ${d.pages.length} pages, ${(d.pdf.length / 1024).toFixed(1)} KB, ${d.ms} ms`,
    );
  }
  await t?.stop();
});

describe('agreement status (fj-2021, as of 10 March 2022)', () => {
  it('lists every pairing by its recipient’s name, with its state on the same row', () => {
    const fj = pairings.get('fj-2021') as Pairing[];
    expect(fj).toHaveLength(34);
    const expected = new Map([
      [SONGXI, '按时提交'],
      [HUAAN, '按时提交'],
      [LUOLONG, '按时提交'],
      [SHOUNING, '逾期提交'],
      [BASU_TCM, '逾期提交'],
    ]);
    for (const pairing of fj) {
      const recipient = nameOf(pairing.recipientId);
      const line = lineWith('agreements', ` ${recipient} `);
      expect(line, recipient).toBeDefined();
      expect(line, recipient).toContain(nameOf(pairing.leadSupporterId));
      expect(line, recipient).toContain(expected.get(pairing.id) ?? '未提交');
    }
  });

  it('counts a submission made after the report’s instant as not yet made', () => {
    expect(lineWith('agreements', ' 政和县医院 ')).toContain('未提交');
  });

  it('shows the submission dates in Beijing time: 23:30 on the due date is on time', () => {
    expect(lineWith('agreements', ' 华安县医院 ')).toMatch(/按时提交\s+2022-02-21/);
    expect(lineWith('agreements', ' 寿宁县医院 ')).toMatch(/逾期提交\s+2022-03-01/);
  });

  it('gives totals for the programme and per city', () => {
    const text = squash(textOf('agreements'));
    expect(text).toContain('本方案共34个结对关系');
    expect(text).toContain('按时提交3个，逾期提交2个，未提交29个');
    expect(lineWith('agreements', '合计')?.trim().split(/\s+/)).toEqual([
      '合计',
      '34',
      '3',
      '2',
      '29',
      '0',
      '0',
      '14.7%',
      '8.8%',
    ]);
    // 昌都市 (Tibet): 洛隆 on time, 八宿藏医 late, 八宿人民、左贡、边坝 missing.
    expect(lineWith('agreements', '西藏自治区昌都市  ')?.trim().split(/\s+/)).toEqual([
      '西藏自治区昌都市',
      '5',
      '1',
      '1',
      '3',
      '0',
      '0',
      '40.0%',
      '20.0%',
    ]);
    expect(text).toContain('南平市（5个结对关系）');
  });
});

describe('annual summary (fj-2021, 2022, as of 20 December 2022)', () => {
  it('counts the reports in on time, late and missing', () => {
    const text = squash(textOf('annual'));
    // Fujian §三(二): through a city commission by 2 December, directly by 10 December.
    expect(text).toContain('2022年度报告应于2022年12月2日、2022年12月10日前提交');
    expect(text).toContain('34个结对关系中：按时提交3个，逾期提交1个，未提交30个');
    expect(text).toContain('适用帮扶目标的结对关系34个：全部达标2个，部分未达标2个，未提交年度数据30个');
  });

  it('checks each pairing’s figures against the plan’s targets and lists the gaps', () => {
    const text = squash(textOf('annual'));
    expect(lineWith('annual', ' 松溪县医院 ')).toMatch(/按时提交\s+2022-12-05(\s+√){7}\s*$/);
    expect(lineWith('annual', ' 八宿县藏医医院 ')).toMatch(/按时提交\s+2022-12-01(\s+√){7}\s*$/);
    expect(lineWith('annual', ' 华安县医院 ')).toMatch(/按时提交\s+2022-12-02\s+√\s+√\s+×(\s+√){4}\s*$/);
    expect(lineWith('annual', ' 寿宁县医院 ')).toMatch(
      // Fujian §二(一) asks to strengthen the centres: some built or being built meets it.
      /逾期提交\s+2022-12-12\s+×\s+×\s+√\s+×\s+×\s+×\s+√\s*$/,
    );
    expect(text).toContain(
      squash(
        '未达标：培养骨干医师或医技人员2人，少于要求的3人；派驻人员4人，少于要求的5人；' +
          // Fujian §二(一): three centres built and one being built meets "strengthen".
          '赵四连续驻点4个月，不足6个月；1—2月无派驻人员驻点；院感指导、培训0次，少于要求的1次',
      ),
    );
    expect(text).not.toContain('未建成：胸痛中心、创伤中心');
    expect(text).toContain('未达标：未派驻挂职院长或副院长');
    expect(text).not.toContain('未达标：未提交年度数据');
    expect(lineWith('annual', ' 周宁县医院 ')).toMatch(/未提交\s+—(\s+×){7}\s*$/);
  });

  it('tallies each target over the programme: met, unmet, in progress (none judged only at plan end)', () => {
    // 7 targets × 34 pairings: 松溪 and 八宿藏医 meet all, 华安 misses one, 寿宁 five, 30 have no figures.
    expect(lineWith('annual', '三级医院向县级医院派驻至少5名')).toMatch(/\s3\s+31\s+0\s*$/);
    expect(lineWith('annual', '其中包括1名派驻挂职的院长或者副院长')).toMatch(/\s3\s+31\s+0\s*$/);
    expect(lineWith('annual', '至少每年为受援医院开展一次院感指导、培训')).toMatch(/\s3\s+31\s+0\s*$/);
  });

  it('lists the programme-wide target of Fujian §一(三) as not judged by the product, with why', () => {
    const text = squash(textOf('annual'));
    expect(text).toContain('方案总体目标');
    expect(text).toContain('系统不核对：年度数据不含各县常住人口');
  });

  it('does not hold CDC pairings to the hospitals’ targets (Jiangsu annex 3)', () => {
    const cdcs = (pairings.get('js-2022') as Pairing[]).filter((p) => p.category === 'cdc');
    expect(cdcs).toHaveLength(10);
    const text = squash(textOf('annual-js'));
    expect(text).toContain('疾控中心等不适用的10个');
    for (const cdc of cdcs) expect(textOf('annual-js')).toContain(nameOf(cdc.recipientId));
    expect(text).toContain('不适用本方案逐院帮扶目标');
  });
});

describe('pairing dossier (寿宁县医院)', () => {
  it('names the parties and where the plan lists the pairing', () => {
    const text = squash(textOf('dossier'));
    expect(doc('dossier').pages[0]).toContain('寿宁县医院结对关系档案');
    expect(text).toContain('福建省宁德市寿宁县');
    expect(text).toContain('牵头支援单位福建省立医院');
    expect(text).toContain('寿宁县人民政府');
    expect(text).toContain('附件1序号2（国家级）、附件2序号2（省级）');
  });

  it('shows every obligation with its state, and each submission', () => {
    const text = textOf('dossier');
    expect(lineWith('dossier', '对口帮扶协议书 ')).toMatch(/2022\s+2022-01-01\s+2022-02-28\s+逾期提交/);
    expect(lineWith('dossier', /年度对口帮扶成效评估报告\s+2022\s/)).toMatch(/2022-12-10\s+逾期提交/);
    expect(lineWith('dossier', /年度对口帮扶成效评估报告\s+2023\s/)).toMatch(/2023-12-10\s+未到期/);
    expect(text).toContain('寿宁县三方协议.pdf');
    expect(text).toContain('寿宁县2022年度报告.pdf');
    expect(squash(text)).toContain('2022-03-0108:00');
  });

  it('lists the reminders sent, who got them and the rejected address', () => {
    const text = squash(textOf('dossier'));
    expect(text).toContain('截止前7天');
    expect(text).toContain('逾期1天');
    expect(text).toContain('截止前3天');
    expect(text).toContain(
      '收件：寿宁县人民政府fj-shouning-county-government@example.org（退信：MessageRejected:addressblacklisted）',
    );
    expect(text).toContain('收件：福建省卫生健康委员会fj-provincial-commission@example.org');
  });

  it('checks the 2022 figures against the targets', () => {
    const text = squash(textOf('dossier'));
    expect(text).toContain('派驻人员4人，少于要求的5人');
    // Fujian §二(一): helping strengthen the centres, three built and one being built meets it.
    expect(text).toContain('达标已建成3个、建设中1');
    expect(text).not.toContain('未建成');
    expect(text).toContain('挂职院长或副院长1人');
  });
});

describe('pairing dossier with what staff did (松溪县医院)', () => {
  const provincialAdmin: StaffIdentity = {
    subject: 'sub-chen',
    email: 'chen@staff.bangfu.example.org',
    name: '陈主任',
    commissionId: 'fj-provincial-commission',
    role: 'admin',
  };

  beforeAll(async () => {
    // Only on obligations the other documents do not show (2023 and 2024 reports), so theirs stay as they were.
    let now = bj('2022-06-01T10:15:00');
    const wiring = createWiring(t.stack.config, { clock: () => now });
    try {
      const ports = obligationActionPorts(wiring);
      await actOnObligation(ports, provincialAdmin, obligationId(SONGXI, 'annual-report', 2023), {
        action: 'extend',
        to: '2023-12-29',
        reason: '受援医院搬迁新院区',
      });
      now = bj('2022-07-01T11:00:00');
      await actOnObligation(ports, provincialAdmin, obligationId(SONGXI, 'annual-report', 2024), {
        action: 'exempt',
        reason: '结对关系调整',
      });
      await t.store.ensureUploadLinks([
        {
          pairingId: SONGXI,
          obligationId: obligationId(SONGXI, 'annual-report', 2022),
          kind: 'annual-report',
          year: 2022,
          institutionId: 'fj-songxi-county-hospital',
          generation: 1,
          issuedAt: bj('2022-11-01T09:00:00').toISOString(),
        },
      ]);
      now = bj('2022-11-20T16:40:00');
      await revokePairingLinks({ store: t.store, clock: () => now }, provincialAdmin, SONGXI, undefined, {
        reason: '联络员离职',
      });
      // After the dossier's instant, and the province's sign-in (not about the pairing): neither shows.
      now = bj('2022-12-25T09:00:00');
      await revokePairingLinks({ store: t.store, clock: () => now }, provincialAdmin, SONGXI, undefined, {
        reason: '年后再次撤销',
      });
      await recordSignIn({ store: t.store }, provincialAdmin, bj('2022-11-20T16:30:00'));
    } finally {
      wiring.destroy();
    }
    await render('dossier-audit', {
      type: 'pairing',
      programmeId: 'fj-2021',
      pairingId: SONGXI,
      at: ANNUAL_AT,
    });
  }, 60_000);

  it('lists the actions up to the instant, oldest first: when, who, what and why', () => {
    const text = textOf('dossier-audit');
    const log = text.slice(text.indexOf('六、操作记录'));
    expect(log.length).toBeLessThan(text.length);
    expect(log).toMatch(/时间\s+操作人\s+操作\s+原因/);
    // A row's first line: the time, the name, the action and the reason; the rest under them.
    const rows = [
      /2022-06-01 10:15\s+陈主任\s+延期\s+受援医院搬迁新院区/,
      /2022-07-01 11:00\s+陈主任\s+豁免\s+结对关系调整/,
      /2022-11-20 16:40\s+陈主任\s+撤销上传链接\s+联络员离职/,
    ];
    const at = rows.map((row) => log.search(row));
    expect(
      at.every((i) => i >= 0),
      log,
    ).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const squashed = squash(log);
    expect(squashed).toContain(
      '福建省卫生健康委员会管理员年度对口帮扶成效评估报告（2023）延期至2023年12月29日',
    );
    expect(squashed).toContain('福建省卫生健康委员会管理员年度对口帮扶成效评估报告（2024）');
    expect(squashed).toContain('福建省卫生健康委员会管理员全部材料1个上传链接');
    expect(text).not.toContain('年后再次撤销');
    expect(text).not.toContain('登录');
  });

  it('shows the extension in the obligations too, and leaves a dossier without actions as it was', () => {
    expect(lineWith('dossier-audit', /年度对口帮扶成效评估报告\s+2023\s/)).toMatch(/2023-12-29\s+未到期/);
    expect(textOf('dossier')).not.toContain('操作记录');
  });
});

describe('an extension granted by staff', () => {
  it('shows in the agreement status and the annual summary on the pairing’s row', async () => {
    await t.store.recordObligationFacts(SIYANG, 'agreement', 2022, { extendedTo: '2022-03-15' });
    await t.store.recordObligationFacts(SIYANG, 'annual-report', 2022, { extendedTo: '2022-12-20' });
    const text = async (request: Omit<ReportRequestInput, 'generatedAt'>) =>
      (
        await pdfPages(
          (
            await renderReport(t.store, { ...request, generatedAt: GENERATED_AT }, pdfRenderers)
          ).pdf,
        )
      ).join('\n');
    const agreements = await text({ type: 'agreements', programmeId: 'js-2022', at: AGREEMENTS_AT });
    // Under the row's state, in the same cell.
    const lines = agreements.split('\n');
    const row = lines.findIndex((line) => line.includes('泗阳县第一人民医院'));
    expect(lines.slice(row, row + 2).join('\n')).toContain('截止延至3月15日');
    expect(agreements.match(/延至/g)).toHaveLength(1);
    const annual = await text({ type: 'annual', programmeId: 'js-2022', year: 2022, at: ANNUAL_AT });
    expect(annual).toContain('截止延至12月20日');
  });
});

describe('agreement form', () => {
  it('fills in annex 3 for the Quanzhou supporting group and 洛隆县', () => {
    const text = squash(textOf('form'));
    const luolong = (pairings.get('fj-2021') as Pairing[]).find((p) => p.id === LUOLONG) as Pairing;
    expect(luolong.supporterIds).toHaveLength(8);
    for (const id of luolong.supporterIds) expect(text).toContain(squash(nameOf(id)));
    expect(text).toContain('支援单位（牵头）泉州市卫生健康委员会');
    expect(text).toContain('县级人民政府洛隆县人民政府');
    expect(text).toContain('受援医院洛隆县人民医院');
    // Annex 3's preamble cites the national plan with its issuers, not the provincial project document.
    expect(text).toContain(
      squash(
        '落实国家卫生健康委员会、国家乡村振兴局、国家中医药管理局、中央军委政治工作部和中央军委后勤保障部《关于印发“十四五”时期三级医院对口帮扶县级医院工作方案的通知》（国卫医函〔2021〕262号）文件精神',
      ),
    );
    expect(text).not.toContain('闽卫基层〔2021〕77号');
    expect(text).toContain('保证《福建省“十四五”时期三级医院对口帮扶县级医院工作方案》顺利实施');
    expect(text).toContain('（三）为支援医院派驻人员提供必要的工作条件、政策支持和生活保障。');
    expect(text.match(/负责人（签字）：/g)).toHaveLength(10);
  });

  it('Jiangsu §七(三): the paired hospitals alone sign an agreement with its term, goals and §三 tasks', () => {
    const text = squash(textOf('form-js'));
    expect(text).toContain('医疗卫生领域南北结对帮扶合作协议书');
    expect(text).toContain(
      '落实省委办公厅、省政府办公厅《关于深化南北结对帮扶合作的实施意见》（苏办发〔2022〕13号）',
    );
    expect(text).not.toContain('国卫医函');
    expect(text).toContain('保证《医疗卫生领域南北结对帮扶合作实施方案》顺利实施');
    expect(text).not.toContain('人民政府');
    expect(text).toContain('自2022年1月至2025年12月');
    expect(text).toContain('协助受援医院全部建成卒中中心');
    expect(text).toContain('（四）推进远程医疗协作');
    expect(text).not.toContain('中医药领域对口帮扶');
    expect(text).toContain('支援医院（牵头）苏州市第九人民医院');
    expect(text).toContain('受援医院泗阳县第一人民医院');
    // Two supporters and the recipient.
    expect(text.match(/负责人（签字）：/g)).toHaveLength(3);
  });

  it('Jiangsu §三(五): a TCM hospital’s agreement adds the TCM tasks', () => {
    expect(squash(textOf('form-js-tcm'))).toContain('（五）深化中医药领域对口帮扶');
  });

  it('Jiangsu §四: a CDC pairing’s agreement carries the CDC tasks, not the hospitals’', () => {
    const text = squash(textOf('form-js-cdc'));
    expect(text).toContain('（一）加强专业技术人才培养');
    expect(text).toContain('（二）强化流行病学调查和疾病监测功能');
    expect(text).toContain('（三）提升慢性非传染病和地方病防控能力');
    expect(text).not.toContain('五大中心');
    expect(text).not.toContain('人民政府');
    expect(text).toContain('受援单位');
  });
});

describe('every document', () => {
  const names = ['agreements', 'annual', 'annual-js', 'dossier', 'form', 'form-js'];

  it('has every character of every seed name in the embedded font, regular and bold', () => {
    const seedText = [
      ...institutions.flatMap((i) => [i.name, ...i.aliases, i.place.province, i.place.city, i.place.county]),
      ...programmes.flatMap((p) => [p.name, p.shortName, ...p.documentRefs.flatMap((d) => [d.id, d.title])]),
      ...programmes.flatMap((p) => p.targets.map((target) => target.text)),
    ].join('');
    expect(charactersMissingFromFont(seedText, 'regular')).toEqual([]);
    expect(charactersMissingFromFont(seedText, 'bold')).toEqual([]);
    expect(charactersMissingFromFont('松溪\u{20000}')).toEqual(['\u{20000}']);
  });

  it('embeds Noto Sans SC as a subset with a Unicode map, and no other font', async () => {
    for (const name of names) {
      const fonts = await pdfFonts(doc(name).pdf);
      expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort(), name).toEqual([
        'NotoSansSC-Bold',
        'NotoSansSC-Regular',
      ]);
      for (const font of fonts)
        expect(font, name).toMatchObject({ embedded: true, subset: true, unicode: true });
    }
  });

  it('draws the text (not only extractable) on every page, and leaves page 1 as a PNG to look at', async () => {
    for (const name of names) {
      const images = await pageImages(doc(name).pdf);
      expect(images.length, name).toBe(doc(name).pages.length);
      // The title line of page 1 (about 62–90 pt from the top of 842) holds only glyphs: a font that
      // extracts but does not draw leaves it blank.
      expect(inkShare(images[0] as GreyImage, [62 / 842, 90 / 842]), `${name} title`).toBeGreaterThan(0.03);
      for (const [i, image] of images.entries()) {
        // Below the running head and above the footer: the page's own content.
        expect(inkShare(image, [50 / 842, 780 / 842]), `${name} page ${i + 1}`).toBeGreaterThan(0.002);
      }
      const png = await savePageOne(doc(name).pdf, name);
      expect(png).toMatch(/\.png$/);
    }
  });

  it('numbers pages 第 N 页 / 共 M 页 and prints the generation time in Beijing time on each', () => {
    for (const name of names) {
      const { pages } = doc(name);
      pages.forEach((page, i) => {
        // pdftotext -layout drops the spaces between CJK characters that -raw keeps.
        expect(page, `${name} page ${i + 1}`).toMatch(
          new RegExp(`第\\s*${i + 1}\\s*页\\s*/\\s*共\\s*${pages.length}\\s*页`),
        );
        expect(page, `${name} page ${i + 1}`).toContain(GENERATED_TEXT);
      });
    }
    expect(doc('agreements').pages.length).toBeGreaterThan(1);
  });

  it('repeats the table header on every page that carries pairing rows', () => {
    const recipients = (pairings.get('fj-2021') as Pairing[]).map((p) => nameOf(p.recipientId));
    for (const name of ['agreements', 'annual']) {
      const pages = doc(name).pages.filter((page) => recipients.some((r) => page.includes(` ${r} `)));
      expect(pages.length, name).toBeGreaterThan(1);
      for (const page of pages) expect(page).toMatch(/序号\s+(县（市）\s+)?受援单位\s+牵头支援单位/);
    }
  });

  it('carries title, author, subject and the generation time as metadata', async () => {
    const info = await pdfInfo(doc('agreements').pdf);
    expect(info.Title).toBe('对口帮扶协议书签订情况');
    expect(info.Author).toBe('帮扶系统');
    expect(info.Subject).toContain('福建省“十四五”时期三级医院对口帮扶县级医院工作方案');
    expect(new Date(info.CreationDate as string).getTime()).toBe(GENERATED_AT.getTime());
    expect((await pdfInfo(doc('form').pdf)).Title).toBe('三级医院对口帮扶县级医院协议书（洛隆县人民医院）');
    expect((await pdfInfo(doc('annual').pdf)).Title).toBe('2022年度对口帮扶工作汇总');
  });

  it('has ASCII file names and Chinese titles', () => {
    expect(doc('agreements').filename).toBe('fj-2021-agreements-2022-03-10.pdf');
    expect(doc('annual').filename).toBe('fj-2021-annual-2022-2022-12-20.pdf');
    expect(doc('dossier').filename).toBe('fj-2021.fj-shouning-county-hospital-dossier-2022-12-20.pdf');
    expect(doc('form').filename).toBe('fj-2021.xz-luolong-county-hospital-agreement-form.pdf');
    expect(doc('agreements').title).toBe(
      '福建三级医院对口帮扶县级医院 对口帮扶协议书签订情况（截至2022年3月10日）',
    );
    for (const d of documents.values()) {
      expect(d.filename).toMatch(/^[\x20-\x7e]+$/);
      expect(d.pdf.length).toBeLessThan(400 * 1024);
    }
  });

  it('renders the same bytes from the same records and generation time', async () => {
    for (const [name, request] of [
      ['agreements', { type: 'agreements', programmeId: 'fj-2021', at: AGREEMENTS_AT }],
      ['dossier', { type: 'pairing', programmeId: 'fj-2021', pairingId: SHOUNING, at: ANNUAL_AT }],
    ] as const) {
      const again = await renderReport(t.store, { ...request, generatedAt: GENERATED_AT }, pdfRenderers);
      expect(again.pdf.equals(doc(name).pdf), name).toBe(true);
    }
    const later = await renderReport(
      t.store,
      {
        type: 'agreements',
        programmeId: 'fj-2021',
        at: AGREEMENTS_AT,
        generatedAt: new Date(GENERATED_AT.getTime() + 60_000),
      },
      pdfRenderers,
    );
    expect(later.pdf.equals(doc('agreements').pdf)).toBe(false);
  });
});

describe('requests naming what does not exist', () => {
  const base = { at: ANNUAL_AT, generatedAt: GENERATED_AT };

  it('rejects an unknown programme, a missing or unplanned year, and a pairing of another programme', async () => {
    await expect(
      renderReport(t.store, { ...base, type: 'agreements', programmeId: 'zz-1999' }, pdfRenderers),
    ).rejects.toThrow(UnknownProgrammeError);
    await expect(
      renderReport(t.store, { ...base, type: 'annual', programmeId: 'fj-2021' }, pdfRenderers),
    ).rejects.toMatchObject({
      name: 'ReportRequestError',
      code: 'year-required',
      message: expect.stringContaining('2022、2023、2024、2025'),
    });
    await expect(
      renderReport(t.store, { ...base, type: 'annual', programmeId: 'fj-2021', year: 2021 }, pdfRenderers),
    ).rejects.toMatchObject({ code: 'unknown-year' });
    await expect(
      renderReport(
        t.store,
        { ...base, type: 'pairing', programmeId: 'fj-2021', pairingId: SIYANG },
        pdfRenderers,
      ),
    ).rejects.toThrow(ReportRequestError);
    await expect(
      renderReport(
        t.store,
        { ...base, type: 'form', programmeId: 'fj-2021', pairingId: 'fj-2021.nowhere' },
        pdfRenderers,
      ),
    ).rejects.toThrow(/fj-2021\.nowhere/);
    await expect(
      renderReport(t.store, { ...base, type: 'form', programmeId: 'fj-2021' }, pdfRenderers),
    ).rejects.toMatchObject({
      code: 'pairing-required',
    });
  });
});
