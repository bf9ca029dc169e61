/**
 * Staff sign-in to the local app over real HTTP: the console on the API host, the embedded OpenID
 * Connect provider with the demo accounts, a cookie jar in the browser's place, and the app's clock
 * injected so a session can be let expire without waiting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffIdentity } from '../../functions/domain/staff.ts';
import { type LocalApp, startLocalApp } from '../../functions/local/local-app.ts';
import { localSubject } from '../../functions/local/oidc-provider.ts';
import { anonymousBrowser, DEFAULT_STAFF_EMAIL, signInToConsole } from './support/staff-session.ts';

let home: string;
let app: LocalApp;
let now = new Date('2022-03-01T01:00:00Z');
const signIns: { identity: StaffIdentity; at: Date }[] = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bangfu-staff-'));
  app = await startLocalApp({
    home,
    ports: { dynamodb: 0, s3: 0, ses: 0, api: 0, oidc: 0 },
    demoRoster: false,
    schedule: false,
    env: {},
    log: () => undefined,
    clock: () => now,
    onSignIn: (identity, at) => {
      signIns.push({ identity, at });
    },
  });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const attributes = (setCookie = '') =>
  setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim());

describe('signing in to the console', () => {
  it('sends a page visit without a session to sign in, and a request that is no page visit gets 401', async () => {
    const visitor = anonymousBrowser(app);
    const visit = await visitor.fetch('/staff/documents');
    expect(visit.status).toBe(303);
    expect(visit.headers.get('location')).toBe('/staff/auth/sign-in?return=%2Fstaff%2Fdocuments');

    const signIn = await visitor.fetch(visit.headers.get('location') as string);
    expect(signIn.status).toBe(303);
    const provider = new URL(signIn.headers.get('location') as string);
    expect(provider.origin).toBe(app.stack.endpoints.oidc);
    expect(provider.searchParams.get('code_challenge_method')).toBe('S256');
    expect(provider.searchParams.get('redirect_uri')).toBe(`${app.stack.endpoints.api}/staff/auth/callback`);

    const script = await fetch(`${app.stack.endpoints.api}/staff/documents`, {
      headers: { accept: 'application/json' },
    });
    expect(script.status).toBe(401);
    expect(await script.text()).toContain('请先登录');
  });

  it('signs a demo account in through the provider’s form, back to where it was going, and shows the documents', async () => {
    const before = signIns.length;
    const staff = await signInToConsole(app, DEFAULT_STAFF_EMAIL, '/staff/documents?sort=newest');
    expect(staff.landedAt.pathname + staff.landedAt.search).toBe('/staff/documents?sort=newest');

    const page = await staff.fetch(staff.landedAt);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('已生成文档');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    // The audit hook heard of it, with the identity from the signed ID token and the app's time.
    expect(signIns.slice(before)).toEqual([
      {
        identity: {
          subject: localSubject(DEFAULT_STAFF_EMAIL),
          email: DEFAULT_STAFF_EMAIL,
          name: staff.account.name,
          commissionId: 'fj-provincial-commission',
          role: 'admin',
        },
        at: now,
      },
    ]);
    // The pending sign-in is used up.
    expect(staff.jar.get('bangfu_sign_in')).toBeUndefined();
  });

  it('keeps the session in an HttpOnly, SameSite=Lax cookie that is encrypted, not readable JSON', async () => {
    const staff = await signInToConsole(app);
    const cookie = staff.jar.get('bangfu_staff');
    expect(cookie).toBeDefined();
    const set = attributes(cookie?.setCookie);
    expect(set).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/']));
    // Plain http on loopback: no Secure (a browser would drop it), and so no __Host- prefix.
    expect(set).not.toContain('Secure');
    // Never past the ID token, which the local provider makes for an hour.
    const maxAge = Number(set.find((a) => a.startsWith('Max-Age='))?.slice(8));
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);

    const segments = (cookie?.value ?? '').split('.');
    expect(segments).toHaveLength(5);
    expect(() => JSON.parse(Buffer.from(segments[3] as string, 'base64url').toString('utf8'))).toThrow();
    const decoded = segments.map((s) => Buffer.from(s, 'base64url').toString('latin1')).join('\n');
    for (const plain of [
      DEFAULT_STAFF_EMAIL,
      localSubject(DEFAULT_STAFF_EMAIL),
      'fj-provincial-commission',
      'admin',
    ])
      expect(decoded).not.toContain(plain);
  });
});

describe('state-changing console requests', () => {
  const post = (
    staff: Awaited<ReturnType<typeof signInToConsole>>,
    path: string,
    form: Record<string, string>,
    origin = staff.origin,
  ) =>
    staff.fetch(path, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('refuses a POST without the CSRF token with 403 and a Chinese page', async () => {
    const staff = await signInToConsole(app);
    const refused = await post(staff, '/staff/documents', { note: 'x' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('操作未通过安全校验');
    const signOut = await post(staff, '/staff/auth/sign-out', {});
    expect(signOut.status).toBe(403);
    // Still signed in.
    expect((await staff.fetch('/staff/documents')).status).toBe(200);
  });

  it('refuses a POST with the right token from another origin with 403', async () => {
    const staff = await signInToConsole(app);
    const _csrf = await staff.csrfToken();
    const refused = await post(staff, '/staff/auth/sign-out', { _csrf }, 'http://127.0.0.1:1');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('操作未通过安全校验');
    expect((await staff.fetch('/staff/documents')).status).toBe(200);
  });

  it('signs out with the token from the console’s origin: the session is cleared, the provider signs out too', async () => {
    const staff = await signInToConsole(app);
    const signedOut = await post(staff, '/staff/auth/sign-out', { _csrf: await staff.csrfToken() });
    expect(signedOut.status).toBe(303);
    const provider = new URL(signedOut.headers.get('location') as string);
    expect(provider.origin).toBe(app.stack.endpoints.oidc);
    expect(provider.searchParams.get('id_token_hint')).toBeTruthy();
    expect(provider.searchParams.get('post_logout_redirect_uri')).toBe(`${app.stack.endpoints.api}/staff/`);
    expect(staff.jar.get('bangfu_staff')).toBeUndefined();

    const after = await staff.fetch('/staff/documents');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/staff\/auth\/sign-in\?/);
    // The provider asks for confirmation in Chinese before it ends its own session.
    const confirm = await staff.fetch(provider);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('确定退出登录吗？');
  });
});

describe('an expired session', () => {
  it('opens the console until it expires by the app’s clock, then sends the visit to sign in again', async () => {
    const staff = await signInToConsole(app);
    const signedInAt = now;
    try {
      now = new Date(signedInAt.getTime() + 59 * 60_000);
      expect((await staff.fetch('/staff/documents')).status).toBe(200);

      now = new Date(signedInAt.getTime() + 60 * 60_000 + 1000);
      const expired = await staff.fetch('/staff/documents');
      expect(expired.status).toBe(303);
      expect(expired.headers.get('location')).toBe('/staff/auth/sign-in?return=%2Fstaff%2Fdocuments');
      expect(staff.jar.get('bangfu_staff')).toBeUndefined();
    } finally {
      now = signedInAt;
    }
  });
});
