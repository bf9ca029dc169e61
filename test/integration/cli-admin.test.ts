/**
 * The admin actions' command-line twins, each run as a person would in its own process, on a home of
 * its own with the plans and the demo roster: correcting and removing a contact, revoking a pairing's
 * upload links, and what the next tick sends after each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROSTER } from '../../functions/local/seed-files.ts';
import { bangfu } from './support/bangfu-cli.ts';

const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENT = `${PAIRING}#agreement#2022`;
const HOSPITAL_EMAIL = 'fj-huaan-county-hospital@example.org';
const GOVERNMENT_EMAIL = 'fj-huaan-county-government@example.org';
const STAFF = 'staff.bangfu.example.org';
let home: string;

interface Entry {
  id: string;
  action: string;
  reason?: string;
  actor: { email: string; role: string };
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}
interface Message {
  to: string[];
  cc: string[];
  text: string | null;
  obligation: string | null;
  stage: string | null;
}

const auditOf = async (...scope: string[]) =>
  JSON.parse((await bangfu(home, 'audit', ...scope, '--json')).stdout) as Entry[];
const outbox = async () => JSON.parse((await bangfu(home, 'outbox', '--json')).stdout) as Message[];
const LEAD_EMAIL = 'fj-xmu-first-affiliated-hospital@example.org';
/** The lead hospital's personal upload link in the reminder of Huaan's agreement at `stage`. */
const leadLinkAt = async (stage: RegExp) => {
  const message = (await outbox()).find(
    (m) => m.obligation === AGREEMENT && stage.test(m.stage ?? '') && m.to.includes(LEAD_EMAIL),
  );
  return /\/u\/([\w-]+\.[\w-]+\.[\w-]+)/.exec(message?.text ?? '')?.[1];
};

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bangfu-admin-'));
  expect((await bangfu(home, 'seed')).code).toBe(0);
  expect((await bangfu(home, 'roster', 'import', DEMO_ROSTER)).code).toBe(0);
}, 120_000);
afterAll(() => rm(home, { recursive: true, force: true }));

describe('bangfu contact update and remove', () => {
  it('corrects a contact as the provincial admin by default, and audits it in the programme’s log', {
    timeout: 60_000,
  }, async () => {
    const updated = await bangfu(
      home,
      'contact',
      'update',
      '华安县人民政府',
      GOVERNMENT_EMAIL.toUpperCase(),
      '--name',
      '林晓',
      '--phone',
      '0596-7362001',
      '--reason',
      '联络员更换',
    );
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain(
      `contact-change fj-huaan-county-government ${GOVERNMENT_EMAIL} by fj-provincial-commission.admin@${STAFF}`,
    );
    expect(updated.stdout).toContain(`now 林晓 (联络员) ${GOVERNMENT_EMAIL} 0596-7362001`);

    const [entry] = (await auditOf('--programme', 'fj-2021')).filter((e) => e.action === 'contact-change');
    expect(entry).toMatchObject({
      reason: '联络员更换',
      actor: { role: 'admin' },
      before: { name: '演示联络员117' },
      after: { name: '林晓', phone: '0596-7362001' },
    });
  });

  it('refuses, in the roster’s words or in Chinese and without a stack trace, what may not be done', {
    timeout: 60_000,
  }, async () => {
    const bad = await bangfu(
      home,
      'contact',
      'update',
      '华安县人民政府',
      GOVERNMENT_EMAIL,
      '--email',
      'nope',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a valid email address');

    const outsider = await bangfu(
      home,
      'contact',
      'remove',
      '华安县医院',
      HOSPITAL_EMAIL,
      '--as',
      `fj-quanzhou-health-commission.reviewer@${STAFF}`,
    );
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toContain('不由您所在的卫生健康委管理');
    // Xiamen's commission oversees Huaan's pairing, but a reviewer does not manage contacts.
    const reviewer = await bangfu(
      home,
      'contact',
      'remove',
      '华安县医院',
      HOSPITAL_EMAIL,
      '--as',
      `fj-xiamen-health-commission.reviewer@${STAFF}`,
    );
    expect(reviewer.code).toBe(1);
    expect(reviewer.stderr).toContain('账号角色无权');
    expect(reviewer.stderr).not.toMatch(/\n\s+at /);

    const unknown = await bangfu(home, 'contact', 'remove', '不存在的医院', HOSPITAL_EMAIL);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('找不到单位“不存在的医院”');
  });

  it('removes a contact: the next tick reminds the institution’s other parties but not that address', {
    timeout: 120_000,
  }, async () => {
    const removed = await bangfu(
      home,
      'contact',
      'remove',
      '华安县医院',
      HOSPITAL_EMAIL,
      '--reason',
      '已离职',
    );
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`contact-removed fj-huaan-county-hospital ${HOSPITAL_EMAIL}`);
    const again = await bangfu(home, 'contact', 'remove', '华安县医院', HOSPITAL_EMAIL);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`华安县医院没有邮箱为 ${HOSPITAL_EMAIL} 的联系人`);

    // Huaan reports to 厦门市卫健委 by 21 February (Fujian §三(一)): its T-7 is Monday the 14th.
    const tick = await bangfu(home, 'tick', '--at', '2022-02-14T09:00+08:00');
    expect(tick.code, tick.stderr).toBe(0);
    const huaan = (await outbox()).filter((m) => m.obligation === AGREEMENT && m.stage === 'T-7');
    const addressed = huaan.flatMap((m) => [...m.to, ...m.cc]);
    expect(addressed).toContain(LEAD_EMAIL);
    expect(addressed).toContain(GOVERNMENT_EMAIL);
    expect(addressed).not.toContain(HOSPITAL_EMAIL);
  });
});

describe('bangfu links revoke', () => {
  it('revokes the links the tick sent; the next reminder carries new ones; the pairing’s log says so', {
    timeout: 120_000,
  }, async () => {
    const sent = await leadLinkAt(/^T-7$/);
    expect(sent).toBeDefined();

    const viewer = await bangfu(
      home,
      'links',
      'revoke',
      PAIRING,
      '--as',
      `fj-provincial-commission.viewer@${STAFF}`,
    );
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain('账号角色无权');
    const elsewhere = await bangfu(
      home,
      'links',
      'revoke',
      'fj-2021.fj-songxi-county-hospital',
      '--obligation',
      AGREEMENT,
    );
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('不属于结对关系');

    const revoked = await bangfu(home, 'links', 'revoke', PAIRING, '--reason', '联络员离职');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(
      `links-revoked ${PAIRING} by fj-provincial-commission.admin@${STAFF} (admin, fj-provincial-commission): 联络员离职`,
    );
    expect(revoked.stdout).toMatch(/\s[1-9]\d* link\(s\) stopped working/);

    // T-3 of Huaan's agreement (Friday 18 February): a new link, not the one revoked.
    const tick = await bangfu(home, 'tick', '--at', '2022-02-18T09:00+08:00');
    expect(tick.code, tick.stderr).toBe(0);
    const next = await leadLinkAt(/^T-3/);
    expect(next).toBeDefined();
    expect(next).not.toBe(sent);

    const log = await auditOf('--pairing', PAIRING);
    expect(log.map((e) => [e.action, e.reason])).toEqual([['links-revoked', '联络员离职']]);
    expect(log[0]?.after).toMatchObject({
      links: expect.arrayContaining([expect.objectContaining({ generation: 2 })]),
    });
    const text = (await bangfu(home, 'audit', '--programme', 'fj-2021')).stdout;
    expect(text).toMatch(
      /contact-change fj-huaan-county-government fj-huaan-county-government@example.org {2}by /,
    );
    expect(text).toMatch(/links-revoked fj-2021\.fj-huaan-county-hospital {2}by /);
  });
});
