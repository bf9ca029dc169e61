/**
 * An admin correcting and removing contacts, on the in-memory twins: both plans and the demo roster,
 * a fixed "now". The same use case runs behind the console and `bangfu contact update|remove`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createReminderRenderer } from '../../functions/adapters/email-renderer.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { StaffForbiddenError } from '../../functions/domain/staff.ts';
import { ActionRefusedError } from '../../functions/domain/staff-actions.ts';
import { InputRejectedError } from '../../functions/domain/validation.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import {
  type ContactActionPorts,
  removeContact,
  updateContact,
} from '../../functions/use-cases/contact-actions.ts';
import { sendDueReminders } from '../../functions/use-cases/send-due-reminders.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';
import { staffMember as staff } from '../support/staff.ts';

const NOW = new Date('2022-02-18T09:00:00+08:00');
const HOSPITAL = 'fj-huaan-county-hospital';
const HOSPITAL_EMAIL = 'fj-huaan-county-hospital@example.org';

let store: MemoryStore;
let ports: ContactActionPorts;

const provincialAdmin = staff('fj-provincial-commission', 'admin');
/** Xiamen's commission oversees Huaan's pairing: its lead, 厦门大学附属第一医院, is a Xiamen hospital. */
const xiamenAdmin = staff('fj-xiamen-health-commission', 'admin');

beforeEach(async () => {
  store = await seededMemoryStore();
  // A minute later at each reading: the first change is at NOW, and every change at its own instant.
  let minutes = 0;
  ports = { store, clock: () => new Date(NOW.getTime() + 60_000 * minutes++) };
});

describe('correcting a contact', () => {
  it('writes the corrected fields, keeps the others, and audits before and after in the programme’s log', async () => {
    const result = await updateContact(
      ports,
      xiamenAdmin,
      { institution: '华安县医院', email: 'FJ-HUAAN-COUNTY-HOSPITAL@example.org' },
      { name: '林晓', phone: '0596-7362001', reason: '联络员更换' },
    );
    const expected = {
      institutionId: HOSPITAL,
      role: '联络员',
      name: '林晓',
      email: HOSPITAL_EMAIL,
      phone: '0596-7362001',
    };
    expect(result.after).toEqual(expected);
    expect(await store.contactsOf(HOSPITAL)).toEqual([expected]);

    expect(result.audit).toHaveLength(1);
    const [entry] = await store.auditEntries({ programmeId: 'fj-2021' });
    expect(entry).toEqual(result.audit[0]);
    expect(entry).toMatchObject({
      id: `contact#${HOSPITAL}#${HOSPITAL_EMAIL}#${NOW.toISOString()}`,
      action: 'contact-change',
      actor: { commissionId: 'fj-xiamen-health-commission', role: 'admin' },
      programmeId: 'fj-2021',
      reason: '联络员更换',
      before: { name: '演示联络员121', phone: '000-0000-0121' },
      after: { name: '林晓', phone: '0596-7362001' },
    });
    expect(entry?.pairingId).toBeUndefined();
  });

  it('moves the contact to a new address: the old one is gone, an empty phone removes the number', async () => {
    const result = await updateContact(
      ports,
      provincialAdmin,
      { institution: HOSPITAL, email: HOSPITAL_EMAIL },
      { email: 'LinXiao@Huaan-Hospital.example.org', phone: '' },
    );
    expect(await store.contactsOf(HOSPITAL)).toEqual([
      {
        institutionId: HOSPITAL,
        role: '联络员',
        name: '演示联络员121',
        email: 'linxiao@huaan-hospital.example.org',
      },
    ]);
    expect(result.audit[0]?.before).toMatchObject({ email: HOSPITAL_EMAIL, phone: '000-0000-0121' });
  });

  it('holds the correction to the roster’s rules and writes nothing when it fails them', async () => {
    const error = await updateContact(
      ports,
      provincialAdmin,
      { institution: HOSPITAL, email: HOSPITAL_EMAIL },
      { email: 'not-an-address', name: '张'.repeat(51), role: '\u200b' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejectedError);
    expect((error as InputRejectedError).issues.map((i) => i.field).sort()).toEqual([
      'email',
      'name',
      'role',
    ]);
    expect((error as Error).message).toContain('too long: 51 characters (at most 50)');
    expect((await store.contactsOf(HOSPITAL))[0]?.name).toBe('演示联络员121');
    expect(await store.auditEntries({ programmeId: 'fj-2021' })).toEqual([]);
  });

  it('refuses a correction that changes nothing, an address another contact has, and a contact not there', async () => {
    const ref = { institution: 'fj-provincial-commission', email: 'fj-provincial-commission@example.org' };
    await expect(updateContact(ports, provincialAdmin, ref, { name: '演示联络员079' })).rejects.toThrow(
      /没有变化/,
    );
    await expect(
      updateContact(ports, provincialAdmin, ref, { email: 'FJ-PROVINCIAL-COMMISSION.LEAD@example.org' }),
    ).rejects.toThrow(/已有邮箱为/);
    await expect(
      updateContact(ports, provincialAdmin, { ...ref, email: 'nobody@example.org' }, { name: '某人' }),
    ).rejects.toThrow(/没有邮箱为 nobody@example.org 的联系人/);
    await expect(
      updateContact(ports, provincialAdmin, { institution: '不存在的医院', email: 'a@example.org' }, {}),
    ).rejects.toThrow(ActionRefusedError);
    expect(await store.contactsOf('fj-provincial-commission')).toHaveLength(2);
    expect(await store.auditEntries({ programmeId: 'fj-2021' })).toEqual([]);
  });
});

describe('removing a contact', () => {
  it('stops the reminders to that address and audits what was removed', async () => {
    const result = await removeContact(
      ports,
      xiamenAdmin,
      { institution: HOSPITAL, email: HOSPITAL_EMAIL },
      { reason: '联络员已离职' },
    );
    expect(result.after).toBeUndefined();
    expect(await store.contactsOf(HOSPITAL)).toEqual([]);
    expect(result.audit[0]).toMatchObject({
      action: 'contact-removed',
      reason: '联络员已离职',
      before: { email: HOSPITAL_EMAIL },
    });
    expect(result.audit[0]).not.toHaveProperty('after');

    // T-7 of the agreements (due Monday 28 February): Huaan's reminder goes to its other parties only.
    const mailer = new MemoryMailer();
    const day = '2022-02-21';
    const at = new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);
    await sendDueReminders(
      {
        store,
        mailer,
        renderer: createReminderRenderer(),
        calendar: prcCalendar,
        clock: () => at,
        leaseClock: new TestLeaseClock(at),
        sender: 'bangfu@example.org',
        runId: 'run-after-removal',
        options: { claimLeaseMs: 120_000 },
      },
      day,
    );
    const huaan = mailer.sent.filter((m) =>
      m.headers['X-Bangfu-Obligation']?.startsWith('fj-2021.fj-huaan-'),
    );
    expect(huaan.length).toBeGreaterThan(0);
    const addressed = huaan.flatMap((m) => [...m.to, ...m.cc]);
    expect(addressed).toContain('fj-xmu-first-affiliated-hospital@example.org');
    expect(addressed).not.toContain(HOSPITAL_EMAIL);
  });

  it('refuses to remove a contact that is not there, and audits nothing', async () => {
    const ref = { institution: HOSPITAL, email: HOSPITAL_EMAIL };
    await removeContact(ports, provincialAdmin, ref);
    await expect(removeContact(ports, provincialAdmin, ref)).rejects.toThrow(
      /华安县医院没有邮箱为 fj-huaan-county-hospital@example.org 的联系人/,
    );
    expect(await store.auditEntries({ programmeId: 'fj-2021' })).toHaveLength(1);
  });
});

describe('who may manage contacts', () => {
  const ref = { institution: HOSPITAL, email: HOSPITAL_EMAIL };

  it('a reviewer or viewer of the overseeing commission is refused by role', async () => {
    for (const role of ['reviewer', 'viewer'] as const) {
      const refused = updateContact(ports, staff('fj-xiamen-health-commission', role), ref, { name: '某人' });
      await expect(refused).rejects.toThrow(StaffForbiddenError);
      await expect(refused).rejects.toMatchObject({ reason: 'role' });
    }
    expect((await store.contactsOf(HOSPITAL))[0]?.name).toBe('演示联络员121');
  });

  it('an admin of a commission that oversees no pairing of the institution is refused by jurisdiction', async () => {
    for (const actor of [
      staff('fj-quanzhou-health-commission', 'admin'),
      staff('js-provincial-commission', 'admin'),
    ]) {
      const refused = removeContact(ports, actor, ref);
      await expect(refused).rejects.toMatchObject({ name: 'StaffForbiddenError', reason: 'jurisdiction' });
    }
    expect(await store.contactsOf(HOSPITAL)).toHaveLength(1);
    expect(await store.auditEntries({ programmeId: 'fj-2021' })).toEqual([]);
  });

  it('a city commission manages its own contacts, and another commission’s only the province does', async () => {
    const zhangzhou = {
      institution: '漳州市卫生健康委员会',
      email: 'fj-zhangzhou-health-commission@example.org',
    };
    await expect(updateContact(ports, xiamenAdmin, zhangzhou, { name: '某人' })).rejects.toMatchObject({
      reason: 'jurisdiction',
    });
    await updateContact(ports, provincialAdmin, zhangzhou, { name: '漳州联络员' });
    await updateContact(
      ports,
      xiamenAdmin,
      { institution: 'fj-xiamen-health-commission', email: 'fj-xiamen-health-commission@example.org' },
      { role: '科长' },
    );
    expect((await store.auditEntries({ programmeId: 'fj-2021' })).map((e) => e.actor.commissionId)).toEqual([
      'fj-provincial-commission',
      'fj-xiamen-health-commission',
    ]);
  });
});
