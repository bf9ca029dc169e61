/**
 * Staff sign-ins in the audit log, on the in-memory twins: one entry per staff member and minute, in
 * the log of each programme the commission takes part in.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { StaffForbiddenError } from '../../functions/domain/staff.ts';
import { recordSignIn } from '../../functions/use-cases/record-sign-in.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';
import { staffMember as staff } from '../support/staff.ts';

const bj = (local: string) => new Date(`${local}+08:00`);

let store: MemoryStore;

const provincialAdmin = staff('fj-provincial-commission', 'admin');

beforeEach(async () => {
  store = await seededMemoryStore();
});

describe('recording a sign-in', () => {
  it('writes one entry per staff member and minute, in the log of the commission’s programme', async () => {
    await recordSignIn({ store }, provincialAdmin, bj('2022-03-01T09:00:05'));
    await recordSignIn({ store }, provincialAdmin, bj('2022-03-01T09:00:55'));
    await recordSignIn({ store }, provincialAdmin, bj('2022-03-01T09:01:00'));
    await recordSignIn(
      { store },
      staff('js-xuzhou-health-commission', 'reviewer'),
      bj('2022-03-01T09:02:00'),
    );

    const fujian = await store.auditEntries({ programmeId: 'fj-2021' });
    expect(fujian.map((e) => [e.id, e.at])).toEqual([
      ['sign-in#fj-provincial-commission-admin#2022-03-01T01:00Z', '2022-03-01T01:00:05.000Z'],
      ['sign-in#fj-provincial-commission-admin#2022-03-01T01:01Z', '2022-03-01T01:01:00.000Z'],
    ]);
    expect(fujian[0]).toEqual({
      id: 'sign-in#fj-provincial-commission-admin#2022-03-01T01:00Z',
      at: '2022-03-01T01:00:05.000Z',
      actor: {
        subject: 'fj-provincial-commission-admin',
        email: 'fj-provincial-commission.admin@staff.bangfu.example.org',
        name: '演示admin',
        commissionId: 'fj-provincial-commission',
        role: 'admin',
      },
      action: 'sign-in',
      programmeId: 'fj-2021',
    });
    expect(fujian[1]).toMatchObject({
      action: 'sign-in',
      actor: { role: 'admin', commissionId: 'fj-provincial-commission' },
    });
    // Xuzhou's commission oversees no pairing yet: its sign-in is in its province's programme.
    expect((await store.auditEntries({ programmeId: 'js-2022' })).map((e) => e.actor.commissionId)).toEqual([
      'js-xuzhou-health-commission',
    ]);
  });

  it('refuses a commission that takes part in no programme, recording nothing', async () => {
    const refused = recordSignIn(
      { store },
      staff('gd-nowhere-commission', 'admin'),
      bj('2022-03-01T09:00:00'),
    );
    await expect(refused).rejects.toThrow(StaffForbiddenError);
    await expect(refused).rejects.toThrow(/不属于任何帮扶方案/);
    expect(await store.auditEntries({ programmeId: 'fj-2021' })).toEqual([]);
    expect(await store.auditEntries({ programmeId: 'js-2022' })).toEqual([]);
  });
});
