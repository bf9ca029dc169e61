/**
 * Staff actions on the in-memory twins: both plans and the demo roster, the real templates, a fixed
 * "now". The same use case runs behind the console and `bangfu review|extend|exempt`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createNoticeRenderer } from '../../functions/adapters/email-renderer.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import { overseeingCommissions, StaffForbiddenError } from '../../functions/domain/staff.ts';
import { ActionRefusedError } from '../../functions/domain/staff-actions.ts';
import { awaitsSubmission } from '../../functions/domain/timeline.ts';
import { actOnObligation, type ObligationActionPorts } from '../../functions/use-cases/obligation-actions.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';
import { staffMember as staff, testUploadPorts } from '../support/staff.ts';

const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENT = `${PAIRING}#agreement#2022`;
const NOW = new Date('2022-03-02T09:00:00+08:00');

let store: MemoryStore;
let mailer: MemoryMailer;
let ports: ObligationActionPorts;

const provincialAdmin = staff('fj-provincial-commission', 'admin');

async function submitAgreement(): Promise<void> {
  await store.appendSubmission({
    id: 'slot-0001-agreement',
    programmeId: 'fj-2021',
    pairingId: PAIRING,
    obligationId: AGREEMENT,
    kind: 'agreement',
    year: 2022,
    institutionId: 'fj-xmu-first-affiliated-hospital',
    receivedAt: '2022-02-25T02:00:00.000Z',
    bucket: 'files',
    key: `submissions/fj-2021/${PAIRING}/agreement-2022/slot-0001-agreement.pdf`,
    sha256: 'a'.repeat(64),
    size: 2048,
    contentType: 'application/pdf',
    filename: '华安县协议书.pdf',
  });
  await store.recordObligationFacts(PAIRING, 'agreement', 2022, { submittedAt: '2022-02-25T02:00:00.000Z' });
}

beforeEach(async () => {
  store = await seededMemoryStore();
  mailer = new MemoryMailer();
  ports = {
    store,
    mailer,
    notices: createNoticeRenderer(),
    uploads: testUploadPorts(store, () => NOW),
    sender: 'noreply@bangfu.example.org',
    clock: () => NOW,
    runId: 'run-1',
    claimLeaseMs: 120_000,
    leaseClock: new TestLeaseClock(NOW),
  };
});

describe('returning a submission', () => {
  it('reopens the obligation, records who and why, and emails the uploader the reason and a fresh link', async () => {
    await submitAgreement();
    const result = await actOnObligation(ports, provincialAdmin, AGREEMENT, {
      action: 'return',
      reason: '缺少县政府盖章页',
    });
    expect(result.obligation.record.review).toMatchObject({
      outcome: 'returned',
      reason: '缺少县政府盖章页',
    });
    expect(awaitsSubmission(result.obligation.record)).toBe(true);
    expect(result.audit).toMatchObject({
      action: 'return',
      actor: { commissionId: 'fj-provincial-commission' },
    });
    expect((await store.getObligation(PAIRING, 'agreement', 2022))?.audit).toEqual([result.audit]);

    expect(mailer.sent).toHaveLength(1);
    const [email] = mailer.sent;
    expect(email?.to).toEqual(['fj-xmu-first-affiliated-hospital@example.org']);
    expect(email?.subject).toContain('材料已退回');
    expect(email?.text).toContain('退回原因：缺少县政府盖章页');
    expect(email?.text).toMatch(/重新提交：http:\/\/127\.0\.0\.1:8080\/u\/[\w-]+\.[\w-]+\.[\w-]+/);
    expect(email?.text).toContain('福建省卫生健康委员会');
  });

  it('cannot return what was never submitted, and says so', async () => {
    await expect(
      actOnObligation(ports, provincialAdmin, AGREEMENT, { action: 'return', reason: '缺页' }),
    ).rejects.toThrow(ActionRefusedError);
    expect(mailer.sent).toEqual([]);
  });
});

describe('who may act', () => {
  it('a city commission that does not oversee the pairing is refused, whatever its role', async () => {
    const institutions = await store.listInstitutions();
    const programme = (await store.listProgrammes()).find((p) => p.id === 'fj-2021');
    const [pairing] = await store.getPairings([PAIRING]);
    const overseeing = new Set(
      overseeingCommissions(programme as never, pairing as never, institutionDirectory(institutions)).map(
        (c) => c.id,
      ),
    );
    const elsewhere = institutions.find(
      (i) => i.type === 'city-health-commission' && i.place.province === '福建省' && !overseeing.has(i.id),
    );
    const outsider = staff(elsewhere?.id as string, 'admin');
    const refused = actOnObligation(ports, outsider, AGREEMENT, { action: 'exempt', reason: '测试' });
    await expect(refused).rejects.toThrow(StaffForbiddenError);
    await expect(refused).rejects.toMatchObject({ reason: 'jurisdiction' });
    expect((await store.getObligation(PAIRING, 'agreement', 2022))?.record).toEqual({});
  });

  it('a viewer may look but not act', async () => {
    const viewer = staff('fj-provincial-commission', 'viewer');
    await expect(
      actOnObligation(ports, viewer, AGREEMENT, { action: 'extend', to: '2022-03-15', reason: '测试' }),
    ).rejects.toMatchObject({ reason: 'role' });
  });

  it('an obligation id that names nothing is refused with a clear message', async () => {
    await expect(
      actOnObligation(ports, provincialAdmin, 'nothing#here', { action: 'accept' }),
    ).rejects.toThrow(/找不到事项/);
  });
});

describe('two staff acting on one obligation at once', () => {
  it('one wins; the other is told who changed it, and nothing of theirs is written', async () => {
    const reviewer = { ...staff('fj-provincial-commission', 'reviewer'), name: '李审核' };
    const outcomes = await Promise.allSettled([
      actOnObligation(ports, provincialAdmin, AGREEMENT, { action: 'exempt', reason: '该院已撤并' }),
      actOnObligation(ports, reviewer, AGREEMENT, { action: 'extend', to: '2022-03-15', reason: '疫情' }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ActionRefusedError);
    expect(String(lost[0]?.reason.message)).toMatch(/刚被福建省卫生健康委员会的(演示admin豁免|李审核延期)/);
    expect((await store.getObligation(PAIRING, 'agreement', 2022))?.audit).toHaveLength(1);
  });
});

describe('extending and exempting', () => {
  it('an extension moves the due date in force; an exemption and its undo are both in the audit log', async () => {
    const reviewer = staff('fj-provincial-commission', 'reviewer');
    const extended = await actOnObligation(ports, reviewer, AGREEMENT, {
      action: 'extend',
      to: '2022-03-15',
      reason: '春节后复工延迟',
    });
    expect(extended.obligation.obligation.effectiveDueDate).toBe('2022-03-15');
    const open = await store.openObligationsDueBetween('fj-2021', '2022-03-15', '2022-03-15');
    expect(open.map((o) => o.obligation.id)).toContain(AGREEMENT);

    await actOnObligation(ports, reviewer, AGREEMENT, { action: 'exempt', reason: '不适用' });
    expect(
      (await store.openObligationsDueBetween('fj-2021', '2022-03-15', '2022-03-15')).map(
        (o) => o.obligation.id,
      ),
    ).not.toContain(AGREEMENT);
    await actOnObligation(ports, reviewer, AGREEMENT, { action: 'unexempt', reason: '误操作' });
    const stored = await store.getObligation(PAIRING, 'agreement', 2022);
    expect(stored?.audit?.map((a) => a.action)).toEqual(['extend', 'exempt', 'unexempt']);
    expect(stored?.record).toEqual({ extendedTo: '2022-03-15' });
  });
});
