/**
 * The commission's console over real HTTP on the local app: signed in through the embedded OpenID
 * Connect provider with demo accounts, pages served by the same Hono app as on AWS, actions through
 * the same use case as the CLI. Replayed time: 1 March 2022, the day after the agreements were due.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApp } from '../../functions/local/local-app.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { type ReplayApp, startReplayApp } from './support/replay-app.ts';
import { DEFAULT_STAFF_EMAIL, type StaffBrowser, signInToConsole } from './support/staff-session.ts';

const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENT = `${PAIRING}#agreement#2022`;
const NOW = new Date('2022-03-01T09:00:00+08:00');

let replay: ReplayApp;
let home: string;
let app: LocalApp;
let admin: StaffBrowser;

async function post(browser: StaffBrowser, path: string, fields: Record<string, string>) {
  const body = new URLSearchParams({ _csrf: await browser.csrfToken(), ...fields });
  return browser.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: browser.origin },
    body,
  });
}

beforeAll(async () => {
  replay = await startReplayApp('console', { at: NOW });
  ({ home, app } = replay);
  admin = await signInToConsole(app, DEFAULT_STAFF_EMAIL, '/staff/');
}, 120_000);
afterAll(async () => {
  await replay?.stop();
});

describe('the console', () => {
  it('opens on the programme overview: the timeline and completeness by city', async () => {
    expect(admin.landedAt.pathname).toBe('/staff/');
    const home = await admin.fetch('/staff/');
    expect(home.status).toBe(303);
    const overview = await admin.fetch(home.headers.get('location') as string);
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toContain('<svg');
    expect(html).toContain('南平市');
  });

  it('filters the pairing list by city and exports the same list to Excel', async () => {
    const list = await admin.fetch('/staff/programmes/fj-2021/pairings?city=%E6%BC%B3%E5%B7%9E%E5%B8%82');
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('华安县医院');
    expect(html).not.toContain('松溪县医院');

    const xlsx = await admin.fetch(
      '/staff/programmes/fj-2021/pairings.xlsx?city=%E6%BC%B3%E5%B7%9E%E5%B8%82',
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const rows: string[] = [];
    book.worksheets[0]?.eachRow((row) => rows.push(JSON.stringify(row.values)));
    expect(rows.some((r) => r.includes('华安县医院'))).toBe(true);
    expect(rows.some((r) => r.includes('松溪县医院'))).toBe(false);
  });

  it('exempts an obligation from the pairing page, shows it, and the completeness leaves it out', async () => {
    const before = await (await admin.fetch(`/staff/pairings/${encodeURIComponent(PAIRING)}`)).text();
    expect(before).toContain('审核与处理');
    const done = await post(admin, `/staff/obligations/${encodeURIComponent(AGREEMENT)}/actions`, {
      action: 'exempt',
      reason: '该院本年度并入县总医院',
    });
    expect(done.status).toBe(303);
    const after = await admin.fetch(done.headers.get('location') as string);
    const html = await after.text();
    expect(html).toContain('已完成：豁免');
    expect(html).toContain('该院本年度并入县总医院');
    const stored = await app.wiring.store.getObligation(PAIRING, 'agreement', 2022);
    expect(stored?.record.exemptedAt).toBeDefined();
    expect(stored?.audit?.[0]).toMatchObject({ action: 'exempt', actor: { email: DEFAULT_STAFF_EMAIL } });
    // Undo, so the other cases see it open again.
    const undone = await post(admin, `/staff/obligations/${encodeURIComponent(AGREEMENT)}/actions`, {
      action: 'unexempt',
      reason: '误操作',
    });
    expect(undone.status).toBe(303);
  });

  it('returns a submission with a reason: the uploader gets the reason and a fresh link', async () => {
    await app.wiring.store.appendSubmission({
      id: 'console-slot-0001',
      programmeId: 'fj-2021',
      pairingId: PAIRING,
      obligationId: AGREEMENT,
      kind: 'agreement',
      year: 2022,
      institutionId: 'fj-xmu-first-affiliated-hospital',
      receivedAt: '2022-02-25T02:00:00.000Z',
      bucket: app.stack.config.bucketName,
      key: `submissions/fj-2021/${PAIRING}/agreement-2022/console-slot-0001.pdf`,
      sha256: 'b'.repeat(64),
      size: 4096,
      contentType: 'application/pdf',
      filename: '华安县协议书.pdf',
    });
    await app.wiring.store.recordObligationFacts(PAIRING, 'agreement', 2022, {
      submittedAt: '2022-02-25T02:00:00.000Z',
    });
    const returned = await post(admin, `/staff/obligations/${encodeURIComponent(AGREEMENT)}/actions`, {
      action: 'return',
      reason: '缺少县政府盖章页',
    });
    expect(returned.status).toBe(303);
    const notice = (await readOutbox(home)).find((m) => m.subject?.includes('材料已退回'));
    expect(notice?.to).toEqual(['fj-xmu-first-affiliated-hospital@example.org']);
    expect(notice?.text).toContain('缺少县政府盖章页');
    const link = /http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+/.exec(notice?.text ?? '')?.[0] ?? '';
    expect((await fetch(link)).status).toBe(200);
  });

  it('removes a contact who left and revokes the pairing’s links, both in the audit log with the sign-in', async () => {
    const removed = await post(admin, '/staff/contacts/remove', {
      institution: '华安县医院',
      email: 'fj-huaan-county-hospital@example.org',
      reason: '联络员已调离',
      back: PAIRING,
    });
    expect(removed.status).toBe(303);
    expect(await (await admin.fetch(removed.headers.get('location') as string)).text()).toContain(
      '已删除联系人',
    );
    expect((await app.wiring.store.contactsOf('fj-huaan-county-hospital')).map((c) => c.email)).not.toContain(
      'fj-huaan-county-hospital@example.org',
    );

    const revoked = await post(admin, `/staff/pairings/${encodeURIComponent(PAIRING)}/links/revoke`, {
      reason: '链接外泄',
    });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toMatch(/revoked=\d+/);

    const log = await app.wiring.store.auditEntries({ programmeId: 'fj-2021' });
    expect(log.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['sign-in', 'contact-removed', 'links-revoked']),
    );
  });

  it('refuses a city account on another city’s pairing with 403', async () => {
    const quanzhou = await signInToConsole(
      app,
      'fj-quanzhou-health-commission.reviewer@staff.bangfu.example.org',
      '/staff/',
    );
    const page = await quanzhou.fetch(`/staff/pairings/${encodeURIComponent(PAIRING)}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('管辖范围');
    const act = await post(quanzhou, `/staff/obligations/${encodeURIComponent(AGREEMENT)}/actions`, {
      action: 'accept',
    });
    expect(act.status).toBe(403);
  });

  it('refuses an action posted without the form’s token', async () => {
    const response = await admin.fetch(`/staff/obligations/${encodeURIComponent(AGREEMENT)}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: admin.origin },
      body: new URLSearchParams({ action: 'accept' }),
    });
    expect(response.status).toBe(403);
  });
});
