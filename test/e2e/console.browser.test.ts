/**
 * The commission's console in a real browser (Debian's chromium), on the local app in replayed time
 * (1 March 2022, the day after the agreements were due): sign in through the embedded provider,
 * filter the list, open a pairing, download a submitted file, exempt an obligation and watch the
 * city's completeness change, return a submission and find the email with a fresh link, extend an
 * obligation and see its next reminder move, export the list to Excel, and a city account refused
 * on another city's pairing. A screenshot of each page lands in test-output/console/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApp } from '../../functions/local/local-app.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { nineOclock, type ReplayApp, startReplayApp } from '../integration/support/replay-app.ts';
import { DEFAULT_STAFF_EMAIL } from '../integration/support/staff-session.ts';
import { launchChromium } from './support/chromium.ts';

const SHOTS = 'test-output/console';
const HUAAN = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENT = `${HUAAN}#agreement#2022`;

let replay: ReplayApp;
let home: string;
let app: LocalApp;
let browser: Browser;

async function signIn(page: Page, email: string, start = '/staff/'): Promise<void> {
  const api = app.stack.endpoints.api;
  const account = app.stack.staffAccounts.find((a) => a.email === email);
  if (!account) throw new Error(`no demo account ${email}`);
  await page.goto(`${api}${start}`);
  await page.fill('#email', account.email);
  await page.fill('#password', account.password);
  await Promise.all([page.waitForURL(`${api}/staff/**`), page.click('button[type=submit]')]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

/** The obligation's action form on the pairing page, found by its action path. */
const actionForm = (page: Page, obligationId: string) =>
  page.locator(`form[action="/staff/obligations/${encodeURIComponent(obligationId)}/actions"]`);

beforeAll(async () => {
  replay = await startReplayApp('e2e-console', { at: nineOclock('2022-03-01') });
  ({ home, app } = replay);
  // Huaan's agreement, submitted on time, its file in the bucket.
  const key = `submissions/fj-2021/${HUAAN}/agreement-2022/e2e-slot-0001.pdf`;
  const pdf = Buffer.from('%PDF-1.4\n%e2e\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  await app.wiring.clients.s3.send(
    new PutObjectCommand({
      Bucket: app.stack.config.bucketName,
      Key: key,
      Body: pdf,
      ContentType: 'application/pdf',
    }),
  );
  await app.wiring.store.appendSubmission({
    id: 'e2e-slot-0001',
    programmeId: 'fj-2021',
    pairingId: HUAAN,
    obligationId: AGREEMENT,
    kind: 'agreement',
    year: 2022,
    institutionId: 'fj-xmu-first-affiliated-hospital',
    receivedAt: '2022-02-25T02:00:00.000Z',
    bucket: app.stack.config.bucketName,
    key,
    sha256: 'c'.repeat(64),
    size: pdf.length,
    contentType: 'application/pdf',
    filename: '华安县协议书.pdf',
  });
  await app.wiring.store.recordObligationFacts(HUAAN, 'agreement', 2022, {
    submittedAt: '2022-02-25T02:00:00.000Z',
  });
  await mkdir(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await replay?.stop();
});

describe('the console in a browser', () => {
  it('walks the provincial admin through the overview, the list, a pairing and its actions', {
    timeout: 180_000,
  }, async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await signIn(page, DEFAULT_STAFF_EMAIL);
    expect(page.url()).toContain('/staff/programmes/fj-2021');
    await shot(page, 'overview');
    const zhangzhou = page.locator('tr', { has: page.locator('th', { hasText: '漳州市' }) }).first();
    const before = await zhangzhou.textContent();

    // The list, filtered to one city.
    await page.click('nav a[href$="/pairings"]');
    await page.selectOption('#f-city', { label: '漳州市' });
    await Promise.all([page.waitForURL(/pairings\?/), page.click('form.filters button[type=submit]')]);
    expect(await page.locator('tbody th a').allInnerTexts()).toContain('华安县医院');
    expect(await page.locator('tbody th a').allInnerTexts()).not.toContain('松溪县医院');
    await shot(page, 'pairings');

    // Exported to Excel, read back.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a.button-link[download]'),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path()) as string);
    const cells: string[] = [];
    book.worksheets[0]?.eachRow((row) => cells.push(JSON.stringify(row.values)));
    expect(cells.some((c) => c.includes('华安县医院'))).toBe(true);
    expect(cells.some((c) => c.includes('松溪县医院'))).toBe(false);

    // Another Zhangzhou pairing exempted: the city's completeness leaves it out.
    const others = (await page.locator('tbody th a').allInnerTexts()).filter((n) => n !== '华安县医院');
    await page.click(`tbody th a:text-is("${others[0]}")`);
    const other = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    await actionForm(page, `${other}#agreement#2022`)
      .locator('textarea[name=reason]')
      .fill('该院已并入县总医院');
    await Promise.all([
      page.waitForURL(/done=exempt/),
      actionForm(page, `${other}#agreement#2022`).locator('button[value=exempt]').click(),
    ]);
    expect(await page.textContent('p.notice')).toContain('已完成：豁免');
    await page.goto(`${app.stack.endpoints.api}/staff/programmes/fj-2021`);
    expect(await zhangzhou.textContent()).not.toBe(before);

    // Huaan's page: download the submitted file, then return it with a reason.
    await page.goto(`${app.stack.endpoints.api}/staff/pairings/${encodeURIComponent(HUAAN)}`);
    await shot(page, 'pairing');
    const [scan] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:text("华安县协议书.pdf")'),
    ]);
    expect((await readFile((await scan.path()) as string)).subarray(0, 5).toString()).toBe('%PDF-');
    await actionForm(page, AGREEMENT).locator('textarea[name=reason]').fill('缺少县政府盖章页');
    await Promise.all([
      page.waitForURL(/done=return/),
      actionForm(page, AGREEMENT).locator('button[value=return]').click(),
    ]);
    expect(await page.content()).toContain('缺少县政府盖章页');
    const notice = (await readOutbox(home)).find((m) => m.subject?.includes('材料已退回'));
    expect(notice?.text).toContain('缺少县政府盖章页');
    const link = /http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+/.exec(notice?.text ?? '')?.[0] as string;
    const upload = await context.newPage();
    await upload.goto(link);
    expect(await upload.textContent('body')).toContain('对口帮扶协议书');
    await upload.close();

    // The annual report extended by ten days: its 30-days-before reminder moves from 10 to 18 November.
    const annual = `${HUAAN}#annual-report#2022`;
    await actionForm(page, annual).locator('input[name=to]').fill('2022-12-20');
    await actionForm(page, annual).locator('textarea[name=reason]').fill('年底集中督导，顺延');
    await Promise.all([
      page.waitForURL(/done=extend/),
      actionForm(page, annual).locator('button[value=extend]').click(),
    ]);
    await shot(page, 'pairing-after-actions');
    const original = await replay.tickAt('2022-11-10');
    expect(original.messages.some((m) => m.obligationId === annual)).toBe(false);
    const moved = await replay.tickAt('2022-11-18');
    expect(moved.messages.some((m) => m.obligationId === annual && m.stage === 'T-30')).toBe(true);
    await replay.setNow(nineOclock('2022-03-01'));

    await page.goto(`${app.stack.endpoints.api}/staff/programmes/fj-2021/documents`);
    await shot(page, 'documents');
    await context.close();
  });

  it('refuses a city account on another city’s pairing', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await signIn(page, 'fj-quanzhou-health-commission.reviewer@staff.bangfu.example.org');
    const response = await page.goto(
      `${app.stack.endpoints.api}/staff/pairings/${encodeURIComponent(HUAAN)}`,
    );
    expect(response?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('管辖范围');
    await shot(page, 'refused');
    await context.close();
  });
});
