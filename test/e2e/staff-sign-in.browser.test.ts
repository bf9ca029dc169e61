/**
 * A commission staff member signs in to the local console in a real browser: the redirect to the
 * embedded provider's Chinese login page, the form, the way back, the session cookie as the browser
 * keeps it, and a sign-out posted from a console page (the Origin a real browser sends must pass).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalApp, startLocalApp } from '../../functions/local/local-app.ts';
import { DEFAULT_STAFF_EMAIL } from '../integration/support/staff-session.ts';
import { launchChromium } from './support/chromium.ts';

/** The little of the page's DOM the test touches (the project compiles without the DOM library). */
interface PageDocument {
  cookie: string;
  body: { append(node: unknown): void };
  createElement(tag: 'form'): { method: string; action: string; append(node: unknown): void; submit(): void };
  createElement(tag: 'input'): { type: string; name: string; value: string };
}

let home: string;
let app: LocalApp;
let browser: Browser;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bangfu-e2e-staff-'));
  app = await startLocalApp({
    home,
    ports: { dynamodb: 0, s3: 0, ses: 0, api: 0, oidc: 0 },
    demoRoster: false,
    schedule: false,
    env: {},
    log: () => undefined,
  });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('a staff member signs in to the console in a browser', () => {
  it('is sent to the Chinese login page, comes back signed in, and signs out from a console page', async () => {
    const api = app.stack.endpoints.api;
    const oidc = app.stack.endpoints.oidc as string;
    const account = app.stack.staffAccounts.find((a) => a.email === DEFAULT_STAFF_EMAIL);
    if (!account) throw new Error('no demo account');
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();

    await page.goto(`${api}/staff/documents`);
    expect(page.url().startsWith(`${oidc}/interaction/`)).toBe(true);
    expect(await page.textContent('h1')).toBe('卫健委工作人员登录');
    await mkdir('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/staff-sign-in.png', fullPage: true });

    await page.fill('#email', account.email);
    await page.fill('#password', account.password);
    await Promise.all([page.waitForURL(`${api}/staff/documents`), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('已生成文档');

    // The page's scripts cannot read the session; the browser keeps it HttpOnly and SameSite=Lax.
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.cookie),
    ).not.toContain('bangfu_staff');
    const [session] = (await context.cookies(api)).filter((c) => c.name === 'bangfu_staff');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });

    // A sign-out form on a console page, as the console's pages carry it, posted by the browser itself.
    const staff = app.wiring.staff;
    const opened = staff && (await staff.sessions.read(session?.value, app.wiring.clock()));
    if (!staff || !opened) throw new Error('the browser holds no session the app opens');
    await page.evaluate((token) => {
      const { document } = globalThis as unknown as { document: PageDocument };
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/staff/auth/sign-out';
      const field = document.createElement('input');
      field.type = 'hidden';
      field.name = '_csrf';
      field.value = token;
      form.append(field);
      document.body.append(form);
      form.submit();
    }, staff.sessions.csrfTokenOf(opened));
    await page.waitForURL(`${oidc}/**`);
    expect(await page.textContent('h1')).toBe('确定退出登录吗？');
    expect((await context.cookies(api)).map((c) => c.name)).not.toContain('bangfu_staff');

    // Confirmed, the provider sends the browser back to the console, which asks for the password again.
    await Promise.all([page.waitForURL(`${oidc}/interaction/**`), page.click('button[value=yes]')]);
    expect(await page.textContent('h1')).toBe('卫健委工作人员登录');
    await context.close();
  });
});
