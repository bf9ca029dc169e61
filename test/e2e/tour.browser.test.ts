/**
 * The README's tour, as a newcomer does it, in Debian's chromium: a home started at 08:00 on Monday
 * 21 February 2022 (`npm start -- --at 2022-02-21T08:00+08:00`) and that day's tick
 * (`npx bangfu tick`), then (1) the stack answers, (2) the Fujian provincial admin signs in to the
 * console, (3) reads Huaan's agreement reminder, (4) uploads through its link on a phone, (5) and
 * downloads the agreement status PDF. With `BANGFU_SCREENSHOTS=<dir>` (`npm run screenshots`) it
 * leaves the README's four pictures there: the console, the email, the upload page, a PDF page.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_STATE_WORDS } from '../../functions/adapters/console-pages.ts';
import { formatOutbox, type OutboxMessage, readOutbox } from '../../functions/local/outbox.ts';
import { type ReplayApp, startReplayApp } from '../integration/support/replay-app.ts';
import { DEFAULT_STAFF_EMAIL } from '../integration/support/staff-session.ts';
import { launchChromium } from './support/chromium.ts';

const run = promisify(execFile);

// Fujian §三(一): Huaan's lead supporter reports to 厦门市卫健委, so its agreement scan is due there
// five working days before the city's 28 February: on the tour's day.
const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENT = `${PAIRING}#agreement#2022`;
const HUAAN = 'fj-huaan-county-hospital@example.org';
/** The lead supporter, who uploads the signed agreement. */
const LEAD = '厦门大学附属第一医院';

/** Where the README's screenshots go, when asked for. */
const SHOTS = process.env.BANGFU_SCREENSHOTS;

let replay: ReplayApp;
let browser: Browser;
let consoleContext: BrowserContext;
let api = '';
let reminder: OutboxMessage | undefined;
let uploadLink = '';

async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

beforeAll(async () => {
  // `npm start -- --at 2022-02-21T08:00+08:00`, then `npx bangfu tick` in another terminal.
  replay = await startReplayApp('e2e-tour', { at: new Date('2022-02-21T08:00+08:00'), homeClock: true });
  await replay.tickAt('2022-02-21');
  api = replay.app.stack.endpoints.api;
  browser = await launchChromium();
  consoleContext = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await replay?.stop();
});

describe('the README tour on a home replayed to Mon 21 Feb 2022 (Fujian §三(一) agreement due day)', () => {
  it('1. start: the console sends a visitor to sign in, and the sign-in provider answers', async () => {
    const response = await fetch(`${api}/staff/`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('/staff/auth/sign-in');
    const issuer = replay.app.stack.endpoints.oidc as string;
    const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(issuer);
  });

  it('2. see the console: the provincial admin’s overview shows the plan, the simulated date and both levels', {
    timeout: 60_000,
  }, async () => {
    const account = replay.app.stack.staffAccounts.find((a) => a.email === DEFAULT_STAFF_EMAIL);
    expect(account?.role).toBe('admin');
    const page = await consoleContext.newPage();
    await page.goto(`${api}/staff/`);
    await page.fill('#email', DEFAULT_STAFF_EMAIL);
    await page.fill('#password', account?.password as string);
    await Promise.all([page.waitForURL(`${api}/staff/programmes/**`), page.click('button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/staff/programmes/fj-2021');

    expect(await page.textContent('h1')).toContain('总览');
    expect(await page.textContent('main')).toContain('福建');
    const clock = await page.textContent('.simulated-clock');
    expect(clock).toMatch(/模拟日期：2022年2月21日（星期一）09:\d\d/);
    expect(clock).toContain('下一天');
    // The pairings' level: the agreement section, its cities' table.
    const agreements = page.locator('section', { has: page.locator('summary', { hasText: '协议' }) }).first();
    expect(await agreements.locator('tbody th').allInnerTexts()).toContain('漳州市');
    // The city commissions' level: the province's page of what each city forwarded.
    const chain = page.locator('#chain');
    expect(await chain.textContent()).toContain('设区市汇总转报');
    expect(await chain.locator('a').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('2022')]),
    );
    expect(await chain.textContent()).toContain('各设区市转报情况');
    await screenshot(page, 'console-overview');
    await page.close();
  });

  it('3. read an email: the outbox holds Huaan’s due-day agreement reminder with the lead’s upload link', {
    timeout: 60_000,
  }, async () => {
    const outbox = await readOutbox(replay.home);
    reminder = outbox.find((m) => m.obligation === AGREEMENT && m.to.includes(HUAAN));
    expect(reminder?.subject).toContain('华安县医院');
    expect(reminder?.stage).toBe('T0');
    // What `npx bangfu outbox` prints lists it.
    expect(formatOutbox(outbox)).toContain(reminder?.subject as string);

    const page = await browser.newPage({ viewport: { width: 680, height: 1000 } });
    await page.setContent(reminder?.html as string);
    const lead = page.locator('div', { has: page.locator('div', { hasText: new RegExp(`^${LEAD}：$`) }) });
    uploadLink = (await lead.last().locator('a', { hasText: '上传材料' }).getAttribute('href')) ?? '';
    expect(uploadLink).toMatch(new RegExp(`^${api}/u/[\\w.-]+$`));
    await screenshot(page, 'email', true);
    await page.close();
  });

  it('4. upload through its link on a phone: the confirmation, then the console shows it submitted', {
    timeout: 90_000,
  }, async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await phone.newPage();
    await page.goto(uploadLink);
    const body = await page.textContent('body');
    expect(body).toContain('华安县医院');
    expect(body).toContain(LEAD);
    expect(body).toContain('2022年2月21日');
    // Before a file is chosen: a screenshot afterwards clears the choice in Chromium.
    await screenshot(page, 'upload-phone');
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Huaan county hospital: signed agreement, 2022');
    await page.setInputFiles('input[type=file]', {
      name: '华安县医院对口帮扶协议书.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await doc.save()),
    });
    await page.click('#submit-upload');
    const result = page.locator('#upload-result[data-state="accepted"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('提交成功');
    await phone.close();

    await replay.app.ingest.idle();
    const pairing = await consoleContext.newPage();
    await pairing.goto(`${api}/staff/pairings/${encodeURIComponent(PAIRING)}`);
    expect(await pairing.textContent('main')).toContain(CONSOLE_STATE_WORDS.submitted);
    expect(await pairing.textContent('main')).toContain('华安县医院对口帮扶协议书.pdf');
    await pairing.close();
  });

  it('5. download a PDF: the documents page generates the agreement status, with the cities’ forwardings', {
    timeout: 90_000,
  }, async () => {
    const page = await consoleContext.newPage();
    await page.goto(`${api}/staff/programmes/fj-2021/documents`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .locator('form', { has: page.locator('input[name=type][value=agreements]') })
        .locator('button')
        .click(),
    ]);
    const pdf = await readFile((await download.path()) as string);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const work = await mkdtemp(join(tmpdir(), 'bangfu-tour-pdf-'));
    try {
      const file = join(work, 'agreements.pdf');
      await writeFile(file, pdf);
      const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
      expect(stdout.replace(/\s+/g, '')).toContain('各设区市转报情况');
      // As of the moment it is asked for: Huaan's upload of step 4 counts (not the digest's copy
      // of that morning, as of midnight).
      expect(stdout.split('\n').find((line) => line.includes(' 华安县医院 '))).toContain('按时提交');
      if (SHOTS) {
        await mkdir(SHOTS, { recursive: true });
        const prefix = join(SHOTS, 'pdf-page');
        await run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, prefix]);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    await page.close();
  });
});
