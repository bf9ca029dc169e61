import { mkdir, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleFrame, createConsolePageRenderer } from '../../functions/adapters/console-pages.ts';
import type { ConsoleDocumentsView } from '../../functions/use-cases/console-documents.ts';
import { programmeOverview } from '../../functions/use-cases/console-overview.ts';
import { pairingDetail } from '../../functions/use-cases/console-pairing.ts';
import { pairingList } from '../../functions/use-cases/console-pairings.ts';
import { consoleContext } from '../../functions/use-cases/console-scope.ts';
import { bj, consoleFixture, PROVINCIAL, QUANZHOU, staffOf } from '../support/console-fixture.ts';

const OUTPUT = new URL('../../test-output/console/', import.meta.url);
const NOW = bj('2022-03-10T09:30');
const HOSTILE = '<script>alert("x")</script>松溪县医院';
const CSRF = 'csrf-token-"&<>';

const pages = createConsolePageRenderer();
let frame: ConsoleFrame;
let SONGXI: string;
const html: Record<string, string> = {};

beforeAll(async () => {
  const fixture = await consoleFixture();
  SONGXI = fixture.pairingIdOf('fj-2021', '松溪县医院');
  await fixture.rename('松溪县医院', HOSTILE);
  const ports = { store: fixture.store };
  for (const [name, submittedAt] of [
    ['光泽县医院', '2022-02-20T10:00'],
    ['浦城县医院', '2022-03-02T10:00'],
    ['福安市医院', '2022-02-25T10:00'],
    ['松溪县医院', '2022-02-26T10:00'],
  ] as const) {
    const pairingId = name === '松溪县医院' ? SONGXI : fixture.pairingIdOf('fj-2021', name);
    await fixture.facts(pairingId, 'agreement', 2022, { submittedAt: bj(submittedAt).toISOString() });
  }
  await fixture.act(
    { ...QUANZHOU, name: '<i>审核员</i>', commissionId: 'fj-provincial-commission' },
    SONGXI,
    'agreement',
    2022,
    { action: 'accept', reason: '<b>材料齐全</b>' },
    bj('2022-02-27T10:00'),
  );
  await fixture.submit(SONGXI, 'agreement', 2022, bj('2022-02-26T10:00'), { filename: '<b>协议书</b>.pdf' });
  await fixture.store.markAddressRejected({
    email: 'fj-songxi-county-hospital@example.org',
    rejectedAt: bj('2022-03-01T09:01').toISOString(),
    reason: 'mailbox full',
    source: 'bounce',
  });
  frame = { context: await consoleContext(ports, PROVINCIAL), csrfToken: CSRF };

  html.overview = pages.overviewPage(frame, await programmeOverview(ports, PROVINCIAL, 'fj-2021', NOW));
  html.pairings = pages.pairingListPage(
    frame,
    await pairingList(ports, PROVINCIAL, 'fj-2021', { city: '南平市', kind: 'agreement' }, NOW),
  );
  const detail = await pairingDetail(ports, PROVINCIAL, SONGXI, NOW);
  html.pairing = pages.pairingPage(frame, detail);
  const { audit: _, ...withoutAudit } = detail;
  html.pairingWithoutAudit = pages.pairingPage(frame, withoutAudit);
  const documents: ConsoleDocumentsView = {
    programme: detail.programme,
    at: NOW.toISOString(),
    documents: [
      {
        id: 'd1',
        type: 'agreements',
        programmeId: 'fj-2021',
        title: '福建三级医院对口帮扶县级医院 对口帮扶协议书签订情况（截至2022年3月1日）',
        filename: 'fj-2021-agreements-2022-03-01.pdf',
        bucket: 'b',
        key: 'documents/fj-2021/d1/fj-2021-agreements-2022-03-01.pdf',
        sha256: '0'.repeat(64),
        size: 52_000,
        asOf: bj('2022-03-01T00:00').toISOString(),
        generatedAt: bj('2022-03-01T09:00').toISOString(),
        url: 'https://bangfu.example/d/token?a=1&b=2',
      },
    ],
    annualYears: [2022, 2023, 2024, 2025],
    pairings: [{ pairingId: SONGXI, recipient: HOSTILE, city: '南平市', county: '松溪县' }],
  };
  html.documents = pages.documentsPage(frame, documents);

  // Jiangsu §三(二): five emergency centres by 2025; in 2022 three are built, two being built.
  const GUANYUN = fixture.pairingIdOf('js-2022', '灌云县人民医院');
  await fixture.facts(GUANYUN, 'annual-report', 2022, { submittedAt: bj('2022-12-01T10:00').toISOString() });
  await fixture.submit(GUANYUN, 'annual-report', 2022, bj('2022-12-01T10:00'), {
    filename: '年度报告.pdf',
    figures: {
      stationedStaff: [{ name: '张医生', role: 'vice-president', from: '2022-01', to: '2022-12' }],
      backboneStaffTrained: 4,
      infectionControlTrainings: 2,
      emergencyCentres: {
        卒中中心: 'built',
        胸痛中心: 'built',
        创伤中心: 'built',
        危重孕产妇救治中心: 'in-progress',
        危重儿童和新生儿救治中心: 'in-progress',
      },
      newTechniques: 3,
      remoteConsultations: 40,
    },
  });
  const jiangsu = staffOf('js-provincial-commission', 'admin');
  html.jiangsuPairing = pages.pairingPage(
    { context: await consoleContext(ports, jiangsu), csrfToken: CSRF },
    await pairingDetail(ports, jiangsu, GUANYUN, bj('2022-12-20T09:00')),
  );

  await mkdir(OUTPUT, { recursive: true });
  for (const [name, page] of Object.entries(html)) await writeFile(new URL(`${name}.html`, OUTPUT), page);
});

describe('the console pages', () => {
  it.each(['overview', 'pairings', 'pairing', 'documents'])(
    '%s: the staff frame with name, commission, role and a sign-out form carrying _csrf',
    (name) => {
      const page = html[name] as string;
      expect(page).toContain('<html lang="zh-CN">');
      expect(page).toContain('测试管理员');
      expect(page).toContain('福建省卫生健康委员会 · 管理员');
      expect(page).toMatch(
        /<form method="post" action="\/staff\/auth\/sign-out">\s*<input type="hidden" name="_csrf" value="csrf-token-&quot;&amp;&lt;&gt;">/,
      );
      expect(page).toContain('href="/staff/programmes/fj-2021/pairings"');
    },
  );

  it.each(['overview', 'pairings', 'pairing', 'pairingWithoutAudit', 'documents'])(
    '%s: escapes a hostile name, and has no script and no style attribute',
    (name) => {
      const page = html[name] as string;
      expect(page).not.toContain('<script>alert');
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toMatch(/\sstyle="/);
      if (name !== 'overview')
        expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;松溪县医院');
    },
  );

  it('overview: the timeline with today marked, and completeness by city as a chart beside its table', () => {
    const page = html.overview as string;
    expect(page).toContain('方案时间线');
    expect(page).toContain('今天为2022年3月10日');
    expect(page).toMatch(/<text class="today-label"[^>]*>今天<\/text>/);
    expect(page).toContain('<details open>');
    // Fujian §三(一): 福安市医院 reports to 厦门市卫健委 by 21 February, so its upload of the 25th is
    // late; two uploads stay on time.
    expect(page).toContain(
      '对口帮扶协议书（2022年） <span class="muted">2022年2月28日截止；提交率 11.8%，按时率 5.9%</span>',
    );
    expect(page).toMatch(
      /<svg class="chart" width="560" height="\d+" viewBox="0 0 560 \d+" role="img" aria-labelledby="agreement-2022-chart-title/,
    );
    expect(page).toContain('<caption class="muted">协议书（2022年）各地区提交情况（个）</caption>');
    expect(page).toMatch(/<th scope="row"><a href="[^"]+">南平市<\/a><\/th><td class="num">5<\/td>/);
    expect(page).toContain(
      // Handlebars writes = as &#x3D;, which the browser reads back as =.
      `href="/staff/programmes/fj-2021/pairings?city&#x3D;${encodeURIComponent('南平市')}&amp;kind&#x3D;agreement&amp;year&#x3D;2022&amp;outcome&#x3D;on-time"`,
    );
  });

  it('pairings: a GET filter form keeping the choices, and an Excel link with the same query', () => {
    const page = html.pairings as string;
    expect(page).toContain('<form method="get" action="/staff/programmes/fj-2021/pairings"');
    expect(page).toContain('<option value="南平市" selected>南平市</option>');
    expect(page).toContain('<option value="agreement" selected>对口帮扶协议书</option>');
    expect(page).toContain(
      `href="/staff/programmes/fj-2021/pairings.xlsx?city&#x3D;${encodeURIComponent('南平市')}&amp;kind&#x3D;agreement" download>导出 Excel</a>`,
    );
    expect(page).toContain('符合条件的结对关系 5 个（您负责的共 34 个）');
    expect(page).toContain('协议书（2022年）：按时提交 · 已审核通过');
    expect(page).toContain('协议书（2022年）：逾期提交 · 逾期提交待审核');
  });

  it('pairing: obligations, downloadable versions, reminders, contacts with address problems, audit', () => {
    const page = html.pairing as string;
    expect(page).toContain('应交材料');
    expect(page).toContain('2022-02-27 10:00审核通过');
    expect(page).toContain(`href="/staff/pairings/${encodeURIComponent(SONGXI)}/submissions/`);
    expect(page).toContain('&lt;b&gt;协议书&lt;/b&gt;.pdf');
    expect(page).toContain('联系人与邮箱状态');
    expect(page).toContain('退信：mailbox full（2022-03-01 09:01）');
    expect(page).toContain('操作记录');
    expect(page).toContain('&lt;i&gt;审核员&lt;/i&gt;');
    expect(page).toContain('福建省卫生健康委员会（审核员）');
    expect(page).toContain('&lt;b&gt;材料齐全&lt;/b&gt;');
    expect(page).toMatch(/<td>审核通过<\/td><td>对口帮扶协议书（2022年）<\/td>/);
    expect(html.pairingWithoutAudit).not.toContain('操作记录');
  });

  it("pairing: a Jiangsu §三(二) centres target judged at the plan's end shows as progress, not unmet", () => {
    const page = html.jiangsuPairing as string;
    const centres = page.split('<li>').find((item) => item.includes('已建成3/5个'));
    expect(centres).toBeDefined();
    expect(centres).toMatch(/^<span class="progress">[^<]+<\/span>/);
    expect(centres).not.toContain('unmet');
    expect(page).toContain('.progress { color: #646a73; }');
  });

  it('documents: the generate forms post _csrf, and the stored list links each document', () => {
    const page = html.documents as string;
    const forms = page.match(/<form method="post" action="\/staff\/programmes\/fj-2021\/documents"/g) ?? [];
    expect(forms).toHaveLength(4);
    expect(page.match(/name="_csrf" value="csrf-token-&quot;&amp;&lt;&gt;"/g)).toHaveLength(5);
    expect(page).toContain('<option value="2022" selected>2022年</option>');
    expect(page).toContain('结对关系档案');
    expect(page).toContain('href="https://bangfu.example/d/token?a&#x3D;1&amp;b&#x3D;2"');
    expect(page).toContain('50.8 KB');
  });
});
