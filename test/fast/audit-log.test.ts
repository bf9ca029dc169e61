/**
 * A pairing's or programme's whole audit log on the in-memory twins: the obligations' and the
 * forwardings' entries merged with the audit store's (revoked links, sign-ins, contact changes),
 * oldest first.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createNoticeRenderer, createStaffMailRenderer } from '../../functions/adapters/email-renderer.ts';
import { inspectUpload } from '../../functions/adapters/file-inspector.ts';
import { MemoryFiles } from '../../functions/adapters/memory/memory-files.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import type { Institution, Obligation } from '../../functions/domain/model.ts';
import { auditLog } from '../../functions/use-cases/audit-log.ts';
import { updateContact } from '../../functions/use-cases/contact-actions.ts';
import {
  type ForwardingActionPorts,
  forward,
  returnForwarding,
} from '../../functions/use-cases/forwarding-actions.ts';
import { revokePairingLinks } from '../../functions/use-cases/link-actions.ts';
import { actOnObligation, type ObligationActionPorts } from '../../functions/use-cases/obligation-actions.ts';
import { type UploadPorts, uploadLinkFor } from '../../functions/use-cases/personal-links.ts';
import { recordSignIn } from '../../functions/use-cases/record-sign-in.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';
import { staffMember as staff, testUploadPorts } from '../support/staff.ts';

const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENT = `${PAIRING}#agreement#2022`;
const bj = (local: string) => new Date(`${local}+08:00`);

let store: MemoryStore;
let now: Date;
const clock = () => now;

const provincialAdmin = staff('fj-provincial-commission', 'admin');

beforeEach(async () => {
  store = await seededMemoryStore();
  now = bj('2022-03-01T09:00:00');
});

describe('a pairing’s and a programme’s whole log', () => {
  async function history() {
    const uploads: UploadPorts = testUploadPorts(store, clock);
    const actions: ObligationActionPorts = {
      store,
      mailer: new MemoryMailer(),
      notices: createNoticeRenderer(),
      uploads,
      sender: 'noreply@bangfu.example.org',
      clock,
      runId: 'run-1',
      claimLeaseMs: 120_000,
      leaseClock: new TestLeaseClock(now),
    };
    const agreement = (await store.getObligation(PAIRING, 'agreement', 2022))?.obligation as Obligation;
    const hospital = (await store.listInstitutions()).find((i) => i.id === 'fj-huaan-county-hospital');
    await uploadLinkFor(uploads, agreement, hospital as Institution);

    now = bj('2022-03-01T10:00:00');
    await actOnObligation(actions, provincialAdmin, AGREEMENT, {
      action: 'extend',
      to: '2022-03-15',
      reason: '疫情',
    });
    now = bj('2022-03-01T09:30:00');
    await recordSignIn({ store }, provincialAdmin, now);
    now = bj('2022-03-02T09:00:00');
    await revokePairingLinks({ store, clock }, provincialAdmin, PAIRING, undefined, { reason: '联络员离职' });
    now = bj('2022-03-03T09:00:00');
    await updateContact(
      { store, clock },
      provincialAdmin,
      { institution: 'fj-huaan-county-hospital', email: 'fj-huaan-county-hospital@example.org' },
      { name: '新联络员' },
    );
    now = bj('2022-03-04T09:00:00');
    await actOnObligation(actions, provincialAdmin, `fj-2021.fj-songxi-county-hospital#agreement#2022`, {
      action: 'exempt',
      reason: '不适用',
    });
  }

  it('merges the obligations’ entries with the pairing’s own, oldest first', async () => {
    await history();
    expect((await auditLog(store, { pairingId: PAIRING })).map((e) => [e.action, e.reason])).toEqual([
      ['extend', '疫情'],
      ['links-revoked', '联络员离职'],
    ]);
  });

  it('a programme’s log has its pairings’ entries, the sign-ins and the contact changes; `since` cuts it', async () => {
    await history();
    expect((await auditLog(store, { programmeId: 'fj-2021' })).map((e) => e.action)).toEqual([
      'sign-in',
      'extend',
      'links-revoked',
      'contact-change',
      'exempt',
    ]);
    expect(
      (await auditLog(store, { programmeId: 'fj-2021', since: bj('2022-03-02T09:00:00').toISOString() })).map(
        (e) => e.action,
      ),
    ).toEqual(['links-revoked', 'contact-change', 'exempt']);
    expect(await auditLog(store, { programmeId: 'js-2022' })).toEqual([]);
    expect(await auditLog(store)).toEqual(await auditLog(store, { programmeId: 'fj-2021' }));
    expect(await auditLog(store, { pairingId: PAIRING, programmeId: 'js-2022' })).toEqual([]);
    expect(await auditLog(store, { pairingId: 'fj-2021.fj-nowhere' })).toEqual([]);
  });
});

describe("a programme's log has its city commissions' forwardings (Fujian §三(一))", () => {
  const XIAMEN = 'fj-xiamen-health-commission';
  const AGREEMENTS = { programmeId: 'fj-2021', kind: 'agreement-forwarding', year: 2022 };

  function forwardingPorts(): ForwardingActionPorts {
    const pdf = async () => Buffer.from('%PDF-status');
    return {
      store,
      files: new MemoryFiles(clock),
      inspect: inspectUpload,
      renderers: { agreements: pdf, annual: pdf, pairing: pdf, form: pdf },
      clock,
      settings: { bucket: 'files', maxBytes: 20 * 1024 * 1024 },
      mailer: new MemoryMailer(),
      staffMail: createStaffMailRenderer(),
      sender: 'noreply@bangfu.example.org',
      runId: 'run-1',
      claimLeaseMs: 120_000,
      leaseClock: new TestLeaseClock(now),
    };
  }

  it("lists the city's forward and the province's return with the other entries, oldest first; `since` cuts it", async () => {
    const ports = forwardingPorts();
    now = bj('2022-02-25T10:00:00');
    await forward(ports, staff(XIAMEN, 'reviewer'), AGREEMENTS, { source: 'generated' });
    now = bj('2022-02-25T15:00:00');
    await recordSignIn({ store }, provincialAdmin, now);
    now = bj('2022-02-26T10:00:00');
    await returnForwarding(ports, staff('fj-provincial-commission', 'reviewer'), {
      ...AGREEMENTS,
      commissionId: XIAMEN,
      reason: '缺少长泰区医院的协议书',
    });

    const log = await auditLog(store, { programmeId: 'fj-2021' });
    expect(log.map((e) => [e.action, e.at, e.reason])).toEqual([
      ['forward', bj('2022-02-25T10:00:00').toISOString(), undefined],
      ['sign-in', bj('2022-02-25T15:00:00').toISOString(), undefined],
      ['return', bj('2022-02-26T10:00:00').toISOString(), '缺少长泰区医院的协议书'],
    ]);
    expect(log[0]?.obligationId).toBe(`fj-2021~${XIAMEN}#agreement-forwarding#2022`);
    expect(
      (await auditLog(store, { programmeId: 'fj-2021', since: bj('2022-02-25T12:00:00').toISOString() })).map(
        (e) => e.action,
      ),
    ).toEqual(['sign-in', 'return']);
    expect(await auditLog(store, { programmeId: 'js-2022' })).toEqual([]);
    // A forwarding is the commission's, not one pairing's: a pairing's log leaves it out.
    expect(await auditLog(store, { pairingId: 'fj-2021.fj-huaan-county-hospital' })).toEqual([]);
  });
});
