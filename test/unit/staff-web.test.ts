/**
 * The console's sign-in and sessions in the API, on API Gateway events, with a stand-in for the
 * identity provider's client: what the cookies hold and how they are scoped, where a sign-in may
 * return to, when a session ends, and which requests the staff guard lets through.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApi, type StaffAccess } from '../../functions/adapters/http-api.ts';
import type { PendingSignIn, SignedInStaff, StaffSignIn } from '../../functions/adapters/oidc-client.ts';
import { StaffIdentityRejectedError } from '../../functions/adapters/staff-claims.ts';
import { uploadTickets } from '../../functions/adapters/upload-links.ts';
import { createStaffSessions } from '../../functions/adapters/web/staff-sessions.ts';
import type { StaffIdentity } from '../../functions/domain/staff.ts';
import type { DocumentPorts } from '../../functions/use-cases/documents.ts';
import type { UploadPorts } from '../../functions/use-cases/personal-links.ts';

const SECRET = 'unit-test-secret-of-at-least-32-characters';
const ORIGIN = 'http://127.0.0.1:8080';
const PROVIDER = 'https://login.example.org';
const IDENTITY: StaffIdentity = {
  subject: 'b1c2d3e4-0000-4000-8000-000000000001',
  email: 'fj-provincial-commission.admin@staff.bangfu.example.org',
  name: '演示管理员',
  commissionId: 'fj-provincial-commission',
  role: 'admin',
};
const HOUR = 3600_000;

type Result = APIGatewayProxyStructuredResultV2 & { cookies?: string[] };

interface Setup {
  publicUrl?: string;
  /** What the provider's client answers the callback with. */
  complete?: () => SignedInStaff;
  staff?: false;
}

/** The API with a stand-in provider client, a movable clock, and what it was told. */
function consoleApi(setup: Setup = {}) {
  const publicUrl = setup.publicUrl ?? ORIGIN;
  let now = new Date('2022-03-01T01:00:00Z');
  const completed: { callbackUrl: string; pending: PendingSignIn }[] = [];
  const signedIn: { identity: StaffIdentity; at: Date }[] = [];
  const signOuts: (string | undefined)[] = [];
  const log: Record<string, unknown>[] = [];
  const signIn: StaffSignIn = {
    beginSignIn: async () => ({
      url: new URL(`${PROVIDER}/oauth2/authorize?client_id=console`),
      pending: { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'v'.repeat(43) },
    }),
    completeSignIn: async (callbackUrl, pending) => {
      completed.push({ callbackUrl: callbackUrl.href, pending });
      return (
        setup.complete?.() ?? {
          identity: IDENTITY,
          idToken: 'header.payload.signature',
          expiresAt: Date.now() + HOUR,
        }
      );
    },
    signOutUrl: async (hint) => new URL(`${PROVIDER}/logout${hint ? `?id_token_hint=${hint}` : ''}`),
  };
  const staff: StaffAccess = {
    signIn,
    sessions: createStaffSessions({ secret: SECRET, publicUrl }),
    callbackUrl: `${publicUrl}/staff/auth/callback`,
    clock: () => now,
    onSignIn: (identity, at) => {
      signedIn.push({ identity, at });
    },
  };
  const documents = { store: { listDocuments: async () => [] } } as unknown as DocumentPorts;
  const uploads = { tickets: uploadTickets(SECRET), clock: () => now } as unknown as UploadPorts;
  const api = createApi({ uploads, documents, staff: setup.staff === false ? undefined : staff }, (entry) =>
    log.push(entry),
  );
  const request = async (
    method: string,
    target: string,
    init: { cookies?: string[]; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Result> => {
    const url = new URL(target, publicUrl);
    return (await api({
      version: '2.0',
      routeKey: '$default',
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(init.cookies ? { cookies: init.cookies } : {}),
      headers: { host: url.host, ...init.headers },
      requestContext: { domainName: url.host, http: { method, path: url.pathname } },
      isBase64Encoded: false,
      ...(init.body ? { body: init.body } : {}),
    } as unknown as APIGatewayProxyEventV2)) as Result;
  };
  return {
    request,
    staff,
    completed,
    signedIn,
    signOuts,
    log,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    now: () => now,
  };
}

const cookieNamed = (result: Result, name: string) => result.cookies?.find((c) => c.startsWith(`${name}=`));
const pairOf = (setCookie: string | undefined) => setCookie?.split(';')[0] ?? '';
const attributesOf = (setCookie: string | undefined) =>
  (setCookie ?? '')
    .split(';')
    .slice(1)
    .map((a) => a.trim());
const PAGE = { accept: 'text/html' };

/** Signs in through sign-in and callback; returns the session cookie pair and the CSRF token. */
async function signedInConsole(api: ReturnType<typeof consoleApi>, start = '/staff/documents') {
  const begun = await api.request('GET', `/staff/auth/sign-in?return=${encodeURIComponent(start)}`);
  const pending = pairOf(cookieNamed(begun, 'bangfu_sign_in'));
  const callback = await api.request('GET', '/staff/auth/callback?code=c0de&state=state-1', {
    cookies: [pending],
  });
  const setCookie = cookieNamed(callback, 'bangfu_staff');
  const cookie = pairOf(setCookie);
  const session = await api.staff.sessions.read(cookie.slice(cookie.indexOf('=') + 1), api.now());
  if (!session) throw new Error('no session after the callback');
  return { callback, setCookie, cookie, csrf: api.staff.sessions.csrfTokenOf(session), session };
}

describe('staff sign-in', () => {
  it('sends the browser to the provider, the pending sign-in sealed in a ten-minute cookie for /staff/auth/ only', async () => {
    const api = consoleApi();
    const result = await api.request('GET', '/staff/auth/sign-in?return=%2Fstaff%2Fdocuments');
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`${PROVIDER}/oauth2/authorize?client_id=console`);
    expect(result.headers?.['cache-control']).toBe('no-store');
    const pending = cookieNamed(result, 'bangfu_sign_in');
    expect(attributesOf(pending).sort()).toEqual([
      'HttpOnly',
      'Max-Age=600',
      'Path=/staff/auth/',
      'SameSite=Lax',
    ]);
    expect(pairOf(pending)).not.toContain('state-1');
  });

  it('completes on the callback: the registered callback URL with the raw query, the audit hook, then the session', async () => {
    const api = consoleApi();
    const { callback, setCookie } = await signedInConsole(api, '/staff/documents?programme=fj-2021');
    expect(api.completed).toEqual([
      {
        callbackUrl: `${ORIGIN}/staff/auth/callback?code=c0de&state=state-1`,
        pending: { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'v'.repeat(43) },
      },
    ]);
    expect(api.signedIn).toEqual([{ identity: IDENTITY, at: api.now() }]);
    expect(callback.statusCode).toBe(303);
    expect(callback.headers?.location).toBe('/staff/documents?programme=fj-2021');
    // The session ends with the ID token (one hour): a second boundary may pass between the two.
    const attributes = attributesOf(setCookie).sort();
    expect(attributes.filter((a) => !a.startsWith('Max-Age='))).toEqual([
      'HttpOnly',
      'Path=/',
      'SameSite=Lax',
    ]);
    expect(attributes.filter((a) => a.startsWith('Max-Age='))).toEqual([
      expect.stringMatching(/^Max-Age=(3599|3600)$/),
    ]);
    // The pending sign-in is used up.
    expect(attributesOf(cookieNamed(callback, 'bangfu_sign_in'))).toContain('Max-Age=0');
    expect(api.log).toContainEqual(
      expect.objectContaining({ message: 'staff signed in', subject: IDENTITY.subject, role: 'admin' }),
    );
    expect(JSON.stringify(api.log)).not.toContain(IDENTITY.email);
  });

  it.each([
    ['//evil.example/staff/', '/staff/'],
    ['/\\evil.example', '/staff/'],
    ['https://evil.example/staff/documents', '/staff/'],
    ['/staff/auth/sign-out', '/staff/'],
    ['/staff/../u/x', '/staff/'],
    ['/u/some-ticket', '/staff/'],
    ['/staff/documents', '/staff/documents'],
  ])('returns a sign-in asked to go back to %s to %s', async (requested, returnTo) => {
    const api = consoleApi();
    const { callback } = await signedInConsole(api, requested);
    expect(callback.headers?.location).toBe(returnTo);
  });

  it('refuses a callback without the pending sign-in of this browser, and sets no session', async () => {
    const api = consoleApi();
    const result = await api.request('GET', '/staff/auth/callback?code=c0de&state=state-1', {
      headers: PAGE,
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('登录未完成或已过期，请返回工作台重新登录。');
    expect(cookieNamed(result, 'bangfu_staff')).toBeUndefined();
    expect(api.completed).toEqual([]);
  });

  it('refuses a pending sign-in older than ten minutes', async () => {
    const api = consoleApi();
    const begun = await api.request('GET', '/staff/auth/sign-in');
    api.advance(10 * 60_000 + 1000);
    const result = await api.request('GET', '/staff/auth/callback?code=c0de&state=state-1', {
      cookies: [pairOf(cookieNamed(begun, 'bangfu_sign_in'))],
    });
    expect(result.statusCode).toBe(400);
    expect(api.completed).toEqual([]);
  });

  it('refuses, in Chinese, an identity the claims do not make a staff member, without the audit hook or a session', async () => {
    const api = consoleApi({
      complete: () => {
        throw new StaffIdentityRejectedError(
          'no-role',
          'sub x, groups ["commission:fj-provincial-commission"]',
        );
      },
    });
    const begun = await api.request('GET', '/staff/auth/sign-in');
    const result = await api.request('GET', '/staff/auth/callback?code=c0de&state=state-1', {
      cookies: [pairOf(cookieNamed(begun, 'bangfu_sign_in'))],
    });
    expect(result.statusCode).toBe(403);
    expect(result.body).toContain('您的账号尚未分配工作台角色，无法登录工作台。');
    expect(cookieNamed(result, 'bangfu_staff')).toBeUndefined();
    expect(api.signedIn).toEqual([]);
  });
});

describe('the staff session', () => {
  it('lasts eight hours when the ID token lives longer, and never past the ID token', async () => {
    const long = consoleApi({
      complete: () => ({ identity: IDENTITY, idToken: 'a.b.c', expiresAt: Date.now() + 10 * HOUR }),
    });
    expect(attributesOf((await signedInConsole(long)).setCookie)).toContain(`Max-Age=${8 * 3600}`);
    const short = consoleApi({
      complete: () => ({ identity: IDENTITY, idToken: 'a.b.c', expiresAt: Date.now() + 20 * 60_000 }),
    });
    const { session } = await signedInConsole(short);
    expect(session.expiresAt.getTime() - short.now().getTime()).toBeLessThanOrEqual(20 * 60_000);
    expect(session.expiresAt.getTime() - short.now().getTime()).toBeGreaterThan(19 * 60_000);
  });

  it('opens the console until it expires on the app clock, then sends the page visit to sign in again', async () => {
    const api = consoleApi();
    const { cookie } = await signedInConsole(api);
    api.advance(HOUR - 1000);
    expect(
      (await api.request('GET', '/staff/documents', { cookies: [cookie], headers: PAGE })).statusCode,
    ).toBe(200);
    api.advance(2000);
    const expired = await api.request('GET', '/staff/documents', { cookies: [cookie], headers: PAGE });
    expect(expired.statusCode).toBe(303);
    expect(expired.headers?.location).toBe('/staff/auth/sign-in?return=%2Fstaff%2Fdocuments');
    expect(attributesOf(cookieNamed(expired, 'bangfu_staff'))).toContain('Max-Age=0');
  });

  it('keeps the ID token for the provider sign-out, and leaves out one too large for a cookie', async () => {
    const api = consoleApi();
    const fits = await signedInConsole(api);
    expect(fits.session.idToken).toBe('header.payload.signature');
    const huge = consoleApi({
      complete: () => ({
        identity: IDENTITY,
        idToken: `h.${'p'.repeat(5000)}.s`,
        expiresAt: Date.now() + HOUR,
      }),
    });
    const dropped = await signedInConsole(huge);
    expect(dropped.session.idToken).toBeUndefined();
    expect(dropped.setCookie?.length).toBeLessThan(4096);
    expect(dropped.session.identity).toEqual(IDENTITY);
  });

  it('is opaque: an encrypted JWT in which neither the identity nor the ID token can be read', async () => {
    const { cookie } = await signedInConsole(consoleApi());
    const value = cookie.slice(cookie.indexOf('=') + 1);
    const parts = value.split('.');
    expect(parts).toHaveLength(5);
    expect(JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString())).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
    });
    const decoded = parts.map((p) => Buffer.from(p, 'base64url').toString('latin1')).join(' ');
    for (const secret of [
      IDENTITY.email,
      IDENTITY.subject,
      IDENTITY.commissionId,
      'header.payload.signature',
    ])
      expect(decoded).not.toContain(secret);
  });

  it('is refused when changed, when sealed under another secret, and when it is the pending sign-in cookie', async () => {
    const api = consoleApi();
    const { cookie } = await signedInConsole(api);
    const value = cookie.slice(cookie.indexOf('=') + 1);
    const changed = `bangfu_staff=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherSecret = createStaffSessions({ secret: `${SECRET}-other`, publicUrl: ORIGIN });
    const foreign = await otherSecret.issue(
      { identity: IDENTITY, idToken: 'a.b.c', expiresAt: Date.now() + HOUR },
      api.now(),
    );
    const pending = await api.staff.sessions.sealPending(
      { state: 's', nonce: 'n', codeVerifier: 'v'.repeat(43), returnTo: '/staff/' },
      api.now(),
    );
    for (const attempt of [changed, `bangfu_staff=${foreign.value}`, `bangfu_staff=${pending}`]) {
      const result = await api.request('GET', '/staff/documents', { cookies: [attempt], headers: PAGE });
      expect(result.statusCode, attempt.slice(0, 40)).toBe(303);
    }
  });

  it('is __Host- and Secure over https, the pending sign-in __Secure- for /staff/auth/', async () => {
    const api = consoleApi({ publicUrl: 'https://links.bangfu.example.org' });
    const begun = await api.request('GET', '/staff/auth/sign-in');
    const pending = cookieNamed(begun, '__Secure-bangfu_sign_in');
    expect(attributesOf(pending).sort()).toEqual([
      'HttpOnly',
      'Max-Age=600',
      'Path=/staff/auth/',
      'SameSite=Lax',
      'Secure',
    ]);
    const callback = await api.request('GET', '/staff/auth/callback?code=c0de&state=state-1', {
      cookies: [pairOf(pending)],
    });
    const session = cookieNamed(callback, '__Host-bangfu_staff');
    // One hour, as the ID token: a second boundary may pass between the two.
    expect(
      attributesOf(session)
        .sort()
        .map((a) => a.replace(/^Max-Age=3599$/, 'Max-Age=3600')),
    ).toEqual(['HttpOnly', 'Max-Age=3600', 'Path=/', 'SameSite=Lax', 'Secure']);
    // Without its prefix, the same value opens nothing: a sibling subdomain cannot plant a session.
    const value = pairOf(session).slice(pairOf(session).indexOf('=') + 1);
    const planted = await api.request('GET', '/staff/documents', {
      cookies: [`bangfu_staff=${value}`],
      headers: PAGE,
    });
    expect(planted.statusCode).toBe(303);
    const real = await api.request('GET', '/staff/documents', { cookies: [pairOf(session)], headers: PAGE });
    expect(real.statusCode).toBe(200);
  });
});

describe('the staff guard', () => {
  it('sends a page visit without a session to sign in, remembering where it was going, and answers a script 401', async () => {
    const api = consoleApi();
    const visit = await api.request('GET', '/staff/documents?programme=js-2022', { headers: PAGE });
    expect(visit.statusCode).toBe(303);
    expect(visit.headers?.location).toBe(
      '/staff/auth/sign-in?return=%2Fstaff%2Fdocuments%3Fprogramme%3Djs-2022',
    );
    const script = await api.request('GET', '/staff/documents', { headers: { accept: 'application/json' } });
    expect(script.statusCode).toBe(401);
    expect(script.body).toContain('请先登录');
    const post = await api.request('POST', '/staff/documents', { headers: PAGE });
    expect(post.statusCode).toBe(401);
  });

  it('opens the console home at /staff/, where the provider sends people after signing out', async () => {
    const api = consoleApi();
    const anonymous = await api.request('GET', '/staff/', { headers: PAGE });
    expect(anonymous.headers?.location).toBe('/staff/auth/sign-in?return=%2Fstaff%2F');
    const { cookie } = await signedInConsole(api);
    const home = await api.request('GET', '/staff/', { cookies: [cookie], headers: PAGE });
    expect(home.statusCode).toBe(303);
    expect(home.headers?.location).toBe('/staff/documents');
    const bare = await api.request('GET', '/staff', { cookies: [cookie], headers: PAGE });
    expect(bare.headers?.location).toBe('/staff/');
  });

  it('serves console pages with the page headers, sending Referer only to the console itself', async () => {
    const api = consoleApi();
    const { cookie } = await signedInConsole(api);
    const page = await api.request('GET', '/staff/documents', { cookies: [cookie], headers: PAGE });
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    });
  });

  it.each([
    ['no token', { origin: ORIGIN }, false],
    ['a wrong token', { origin: ORIGIN, 'x-csrf-token': 'x'.repeat(43) }, false],
    ['the right token from another origin', { origin: 'http://127.0.0.1:9999' }, true],
    ['the right token and Origin: null', { origin: 'null' }, true],
    ['the right token and neither Origin nor Referer', {}, true],
    ['the right token and a Referer from elsewhere', { referer: 'https://evil.example/staff/' }, true],
  ])('refuses a state-changing request with %s, in Chinese, with 403', async (_case, headers, withToken) => {
    const api = consoleApi();
    const { cookie, csrf } = await signedInConsole(api);
    const result = await api.request('POST', '/staff/documents', {
      cookies: [cookie],
      headers: { ...headers, ...(withToken ? { 'x-csrf-token': csrf } : {}) },
    });
    expect(result.statusCode).toBe(403);
    expect(result.body).toContain('操作未通过安全校验');
  });

  it.each([
    ['the header and Origin', (csrf: string) => ({ headers: { origin: ORIGIN, 'x-csrf-token': csrf } })],
    [
      'a form field and a Referer of the console',
      (csrf: string) => ({
        headers: {
          referer: `${ORIGIN}/staff/documents`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `note=ok&_csrf=${encodeURIComponent(csrf)}`,
      }),
    ],
  ])('lets a state-changing request with %s through to the route', async (_case, init) => {
    const api = consoleApi();
    const { cookie, csrf } = await signedInConsole(api);
    const result = await api.request('POST', '/staff/documents', { cookies: [cookie], ...init(csrf) });
    // Past the guard: no console route takes a POST here.
    expect(result.statusCode).toBe(404);
  });

  it('says sign-in is not configured on every /staff/ address, and the upload links still answer', async () => {
    const api = consoleApi({ staff: false });
    for (const path of ['/staff/documents', '/staff/auth/sign-in', '/staff/auth/callback?code=x']) {
      const result = await api.request('GET', path, { headers: PAGE });
      expect(result.statusCode, path).toBe(503);
      expect(result.body).toContain('工作台登录尚未配置');
    }
    expect((await api.request('GET', '/u/not-a-ticket', { headers: PAGE })).statusCode).toBe(400);
  });
});

describe('staff sign-out', () => {
  it('clears the session and sends the browser to the provider sign-out with the ID token', async () => {
    const api = consoleApi();
    const { cookie, csrf } = await signedInConsole(api);
    const result = await api.request('POST', '/staff/auth/sign-out', {
      cookies: [cookie],
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`${PROVIDER}/logout?id_token_hint=header.payload.signature`);
    expect(attributesOf(cookieNamed(result, 'bangfu_staff'))).toEqual(
      expect.arrayContaining(['Max-Age=0', 'Path=/', 'HttpOnly', 'SameSite=Lax']),
    );
  });

  it('is refused without the CSRF token, and from another origin even without a session', async () => {
    const api = consoleApi();
    const { cookie } = await signedInConsole(api);
    const noToken = await api.request('POST', '/staff/auth/sign-out', {
      cookies: [cookie],
      headers: { origin: ORIGIN },
    });
    expect(noToken.statusCode).toBe(403);
    expect(cookieNamed(noToken, 'bangfu_staff')).toBeUndefined();
    const elsewhere = await api.request('POST', '/staff/auth/sign-out', {
      headers: { origin: 'https://evil.example' },
    });
    expect(elsewhere.statusCode).toBe(403);
    const stale = await api.request('POST', '/staff/auth/sign-out', { headers: { origin: ORIGIN } });
    expect(stale.statusCode).toBe(303);
    expect(stale.headers?.location).toBe(`${PROVIDER}/logout`);
  });
});
