/**
 * The city commissions' forwarding to the province and the province's review of it, on the in-memory
 * twins: both plans and the demo roster, the real upload check, renderers that keep the view they
 * were given. Fujian §三(一): Xiamen's commission collects the agreement scans of seven pairings and
 * forwards them by 28 February 2022; §三(二): its annual evaluation by 10 December.
 */
import { PDFDocument } from 'pdf-lib';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStaffMailRenderer } from '../../functions/adapters/email-renderer.ts';
import { inspectUpload } from '../../functions/adapters/file-inspector.ts';
import { MemoryFiles } from '../../functions/adapters/memory/memory-files.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import type { AgreementStatusView } from '../../functions/domain/reports/agreement-status.ts';
import type { AnnualSummaryView } from '../../functions/domain/reports/annual-summary.ts';
import { StaffForbiddenError } from '../../functions/domain/staff.ts';
import { obligationState } from '../../functions/domain/timeline.ts';
import {
  acceptForwarding,
  type ForwardingActionPorts,
  ForwardingRefusedError,
  forward,
  returnForwarding,
  sendReturnNotice,
} from '../../functions/use-cases/forwarding-actions.ts';
import type { ReportRenderers } from '../../functions/use-cases/ports.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';
import { staffMember as staff } from '../support/staff.ts';

const NOW = new Date('2022-02-25T10:00:00+08:00');
const XIAMEN = 'fj-xiamen-health-commission';
const HUAAN = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENTS = { programmeId: 'fj-2021', kind: 'agreement-forwarding', year: 2022 };

const cityReviewer = staff(XIAMEN, 'reviewer');
const provincialReviewer = staff('fj-provincial-commission', 'reviewer');

let store: MemoryStore;
let files: MemoryFiles;
let mailer: MemoryMailer;
let ports: ForwardingActionPorts;
let rendered: { agreements: AgreementStatusView[]; annual: AnnualSummaryView[] };

async function aPdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.addPage([595, 842]).drawText('Xiamen evaluation 2022', { x: 50, y: 780, size: 14 });
  return document.save();
}

beforeEach(async () => {
  store = await seededMemoryStore();
  files = new MemoryFiles(() => NOW);
  mailer = new MemoryMailer();
  rendered = { agreements: [], annual: [] };
  const renderers: ReportRenderers = {
    agreements: async (view) => {
      rendered.agreements.push(view);
      return Buffer.from(`%PDF-agreements-${view.totals.total}`);
    },
    annual: async (view) => {
      rendered.annual.push(view);
      return Buffer.from(`%PDF-annual-${view.totals.total}`);
    },
    pairing: async () => Buffer.from(''),
    form: async () => Buffer.from(''),
  };
  ports = {
    store,
    files,
    inspect: inspectUpload,
    renderers,
    clock: () => NOW,
    settings: { bucket: 'files', maxBytes: 20 * 1024 * 1024 },
    mailer,
    staffMail: createStaffMailRenderer(),
    sender: 'noreply@bangfu.example.org',
    runId: 'run-1',
    claimLeaseMs: 120_000,
    leaseClock: new TestLeaseClock(NOW),
    consoleLink: (f) =>
      `https://bangfu.example.org/staff/programmes/${f.programmeId}/forwardings/${f.kind}/${f.year}`,
  };
  // Huaan's agreement is in and accepted; the other six Xiamen pairings are not.
  await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
    submittedAt: '2022-02-18T02:00:00.000Z',
  });
  const huaan = await store.getObligation(HUAAN, 'agreement', 2022);
  if (!huaan) throw new Error('seeded store lost the Huaan agreement');
  await store.replaceObligationRecord(
    huaan,
    { ...huaan.record, review: { outcome: 'accepted', at: '2022-02-19T02:00:00.000Z' } },
    {
      id: `${huaan.obligation.id}#${huaan.version + 1}`,
      at: '2022-02-19T02:00:00.000Z',
      actor: cityReviewer,
      action: 'accept',
      programmeId: 'fj-2021',
      pairingId: HUAAN,
      obligationId: huaan.obligation.id,
    },
  );
});

describe('a city commission forwards its agreements (Fujian §三(一))', () => {
  it('records when and who, the accepted and the outstanding pairings, the document and the audit entry', async () => {
    const { forwarding, audit } = await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });

    expect(forwarding.record.submittedAt).toBe(NOW.toISOString());
    const forwarded = forwarding.record.forwarded;
    expect(forwarded?.by).toBe(cityReviewer.subject);
    expect(forwarded?.accepted).toEqual([HUAAN]);
    expect(forwarded?.outstanding).toHaveLength(6);
    expect(forwarded?.outstanding).not.toContain(HUAAN);
    expect(forwarded?.document).toMatchObject({ source: 'generated', bucket: 'files' });
    expect(forwarded?.document?.key).toMatch(
      /^forwardings\/fj-2021\/fj-xiamen-health-commission\/agreement-forwarding\/2022\/[0-9a-f]{64}\.pdf$/,
    );
    expect(await files.keysUnder('files', 'forwardings/')).toEqual([forwarded?.document?.key]);
    expect(audit).toMatchObject({
      action: 'forward',
      obligationId: forwarding.forwarding.id,
      actor: { commissionId: XIAMEN, role: 'reviewer' },
    });
    const stored = await store.getForwarding('fj-2021', XIAMEN, 'agreement-forwarding', 2022);
    expect(stored?.audit).toEqual([audit]);
    expect(obligationState(forwarding.forwarding, forwarding.record, NOW)).toBe('submitted');
  });

  it("generates the status document of the city's own seven pairings only", async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    expect(rendered.agreements).toHaveLength(1);
    expect(rendered.agreements[0]?.totals.total).toBe(7);
  });

  it('refuses to forward twice, with the time it was forwarded', async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    await expect(forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' })).rejects.toThrow(
      ForwardingRefusedError,
    );
    await expect(forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' })).rejects.toThrow(
      /已于2022-02-25 10:00转报.*不能重复转报/,
    );
  });

  it('refuses the provincial commission forwarding for a city, and a city that collects nothing', async () => {
    const provincialAdmin = staff('fj-provincial-commission', 'admin');
    await expect(forward(ports, provincialAdmin, AGREEMENTS, { source: 'generated' })).rejects.toMatchObject({
      name: 'StaffForbiddenError',
      reason: 'jurisdiction',
    });
    // Nanjing's commission collects no pairing of fj-2021: it has no forwarding to make.
    await expect(
      forward(ports, staff('js-nanjing-health-commission', 'reviewer'), AGREEMENTS, { source: 'generated' }),
    ).rejects.toThrow(/南京市.*不负责汇总转报/);
  });

  it("refuses a city commission's viewer", async () => {
    await expect(
      forward(ports, staff(XIAMEN, 'viewer'), AGREEMENTS, { source: 'generated' }),
    ).rejects.toMatchObject({ name: 'StaffForbiddenError', reason: 'role' });
    expect((await store.getForwarding('fj-2021', XIAMEN, 'agreement-forwarding', 2022))?.record).toEqual({});
  });
});

describe('a city commission forwards its annual evaluation report (Fujian §三(二))', () => {
  const ANNUAL = { programmeId: 'fj-2021', kind: 'annual-evaluation', year: 2022 };

  it("stores the city's own PDF under its hash, and lists every pairing as outstanding", async () => {
    const at = new Date('2022-12-08T10:00:00+08:00');
    const bytes = await aPdf();
    const { forwarding } = await forward({ ...ports, clock: () => at }, cityReviewer, ANNUAL, {
      source: 'uploaded',
      bytes,
      filename: '厦门市2022年度评估报告.pdf',
    });
    const document = forwarding.record.forwarded?.document;
    expect(document).toMatchObject({ source: 'uploaded', filename: '厦门市2022年度评估报告.pdf' });
    expect(document?.size).toBe(bytes.byteLength);
    expect(document?.key).toBe(
      `forwardings/fj-2021/fj-xiamen-health-commission/annual-evaluation/2022/${document?.sha256}.pdf`,
    );
    expect(forwarding.record.forwarded?.outstanding).toHaveLength(7);
  });

  it('refuses an upload that is not a PDF, and forwards nothing', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    await expect(
      forward(ports, cityReviewer, ANNUAL, { source: 'uploaded', bytes: png, filename: 'scan.png' }),
    ).rejects.toThrow(/须为 PDF 文件/);
    expect((await store.getForwarding('fj-2021', XIAMEN, 'annual-evaluation', 2022))?.record).toEqual({});
  });

  it('generates the annual summary of the city pairings when asked to', async () => {
    await forward(ports, cityReviewer, { ...ANNUAL, kind: 'annual-report' }, { source: 'generated' });
    expect(rendered.annual[0]?.totals.total).toBe(7);
  });
});

describe("the province reviews a city's forwarding (Fujian §三(一))", () => {
  const XIAMEN_AGREEMENTS = { ...AGREEMENTS, commissionId: XIAMEN };

  it('returns it with a reason; the city forwards again, and the province accepts', async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    const later = new Date('2022-02-26T10:00:00+08:00');
    const returned = await returnForwarding({ ...ports, clock: () => later }, provincialReviewer, {
      ...XIAMEN_AGREEMENTS,
      reason: '缺少长泰区医院的协议书',
    });
    expect(returned.forwarding.record.review).toEqual({
      outcome: 'returned',
      at: later.toISOString(),
      reason: '缺少长泰区医院的协议书',
    });
    expect(returned.audit).toMatchObject({ action: 'return', reason: '缺少长泰区医院的协议书' });
    expect(obligationState(returned.forwarding.forwarding, returned.forwarding.record, later)).toBe(
      'returned',
    );

    const again = new Date('2022-02-27T10:00:00+08:00');
    const reforwarded = await forward({ ...ports, clock: () => again }, cityReviewer, AGREEMENTS, {
      source: 'generated',
    });
    expect(reforwarded.forwarding.record.submittedAt).toBe(again.toISOString());
    expect(obligationState(reforwarded.forwarding.forwarding, reforwarded.forwarding.record, again)).toBe(
      'submitted',
    );

    const accepted = await acceptForwarding(
      { ...ports, clock: () => new Date('2022-02-28T10:00:00+08:00') },
      provincialReviewer,
      XIAMEN_AGREEMENTS,
    );
    expect(accepted.forwarding.record.review?.outcome).toBe('accepted');
    const stored = await store.getForwarding('fj-2021', XIAMEN, 'agreement-forwarding', 2022);
    expect(stored?.audit?.map((a) => a.action)).toEqual(['forward', 'return', 'forward', 'accept']);
  });

  it('needs a reason to return, and something forwarded to review', async () => {
    await expect(acceptForwarding(ports, provincialReviewer, XIAMEN_AGREEMENTS)).rejects.toThrow(/尚未转报/);
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    await expect(
      returnForwarding(ports, provincialReviewer, { ...XIAMEN_AGREEMENTS, reason: '  ' }),
    ).rejects.toThrow(/请填写退回原因/);
  });

  it("refuses a city commission reviewing its own forwarding, and the province's viewer", async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    await expect(acceptForwarding(ports, staff(XIAMEN, 'admin'), XIAMEN_AGREEMENTS)).rejects.toMatchObject({
      name: 'StaffForbiddenError',
      reason: 'jurisdiction',
    });
    await expect(
      returnForwarding(ports, staff('fj-provincial-commission', 'viewer'), {
        ...XIAMEN_AGREEMENTS,
        reason: '退回',
      }),
    ).rejects.toBeInstanceOf(StaffForbiddenError);
  });
});

describe("the province's return is emailed to the city commission once (Fujian §三(一))", () => {
  const XIAMEN_AGREEMENTS = { ...AGREEMENTS, commissionId: XIAMEN };
  const XIAMEN_CONTACT = 'fj-xiamen-health-commission@example.org';
  const returnAt = (at: Date, reason: string) =>
    returnForwarding({ ...ports, clock: () => at }, provincialReviewer, { ...XIAMEN_AGREEMENTS, reason });

  it("emails the city's contacts the deliverable, the reason, the due date in force and the forwarding page", async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    const { notice } = await returnAt(new Date('2022-02-26T10:00:00+08:00'), '缺少长泰区医院的协议书');

    expect(notice).toMatchObject({ sent: [{ to: [XIAMEN_CONTACT], cc: [] }], failed: [] });
    expect(mailer.sent).toHaveLength(1);
    const [email] = mailer.sent;
    expect(email?.to).toEqual([XIAMEN_CONTACT]);
    expect(email?.subject).toContain('协议书');
    expect(email?.subject).toContain('2022年');
    expect(email?.text).toContain('经福建省卫生健康委员会审核，已于北京时间 2022-02-26 10:00 退回');
    expect(email?.text).toContain('退回原因：缺少长泰区医院的协议书');
    expect(email?.text).toContain('截止时间：北京时间 2022年2月28日（星期一）24:00 前');
    expect(email?.text).toContain(
      'https://bangfu.example.org/staff/programmes/fj-2021/forwardings/agreement-forwarding/2022',
    );
    expect(email?.headers['X-Bangfu-Obligation']).toBe(
      'fj-2021~fj-xiamen-health-commission#agreement-forwarding#2022',
    );
  });

  it('sends a second, distinct notice when the re-forwarded agreements are returned again', async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    await returnAt(new Date('2022-02-26T10:00:00+08:00'), '缺少长泰区医院的协议书');
    await forward(
      { ...ports, clock: () => new Date('2022-02-27T10:00:00+08:00') },
      cityReviewer,
      AGREEMENTS,
      {
        source: 'generated',
      },
    );
    const second = await returnAt(new Date('2022-02-27T15:00:00+08:00'), '华安县医院协议书缺少盖章页');

    expect(second.notice?.sent).toHaveLength(1);
    expect(mailer.sent).toHaveLength(2);
    expect(mailer.sent[0]?.text).toContain('缺少长泰区医院的协议书');
    expect(mailer.sent[1]?.text).toContain('退回原因：华安县医院协议书缺少盖章页');
    expect(mailer.sent[1]?.text).not.toContain('缺少长泰区医院的协议书');
  });

  it('sends nothing new when the same return is retried', async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    const first = await returnAt(new Date('2022-02-26T10:00:00+08:00'), '缺少长泰区医院的协议书');

    const retried = await sendReturnNotice(
      { ...ports, clock: () => new Date('2022-02-26T10:05:00+08:00'), runId: 'run-2' },
      first.forwarding,
    );
    expect(retried).toMatchObject({ sent: [], alreadySent: 1, failed: [] });
    // The request itself repeated: the forwarding awaits the city, so there is nothing to return.
    await expect(returnAt(new Date('2022-02-26T10:05:00+08:00'), '缺少长泰区医院的协议书')).rejects.toThrow(
      ForwardingRefusedError,
    );
    expect(mailer.sent).toHaveLength(1);
  });

  it('records the return even when the mail fails, and reports the failure', async () => {
    await forward(ports, cityReviewer, AGREEMENTS, { source: 'generated' });
    mailer.fault = () => new Error('SES is unavailable');
    const { forwarding, notice } = await returnAt(
      new Date('2022-02-26T10:00:00+08:00'),
      '缺少长泰区医院的协议书',
    );

    expect(notice).toMatchObject({ sent: [], failed: ['SES is unavailable'] });
    const stored = await store.getForwarding('fj-2021', XIAMEN, 'agreement-forwarding', 2022);
    expect(stored?.record.review).toEqual(forwarding.record.review);
    expect(stored?.record.review?.outcome).toBe('returned');
  });
});
