/**
 * Staff sign-in end to end over real HTTP: the embedded OpenID Connect provider on a random loopback
 * port, the console's client module, and a cookie-keeping "browser" made of fetch calls that follows
 * each redirect by hand.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaffSignIn,
  type PendingSignIn,
  SignInFailedError,
  type StaffSignIn,
} from '../../functions/adapters/oidc-client.ts';
import { StaffIdentityRejectedError } from '../../functions/adapters/staff-claims.ts';
import { demoStaffAccounts } from '../../functions/local/demo-staff.ts';
import {
  type LocalOidcProvider,
  localSubject,
  type StaffAccount,
  startLocalOidcProvider,
} from '../../functions/local/oidc-provider.ts';

/** The console's origin; nothing listens there: the test stops at the redirect to it. */
const CONSOLE = 'http://127.0.0.1:8080';
const CALLBACK = `${CONSOLE}/staff/auth/callback`;
const AFTER_SIGN_OUT = `${CONSOLE}/staff/`;

class Browser {
  private readonly cookies = new Map<string, string>();

  async visit(url: URL, init: { form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, {
      method: init.form ? 'POST' : 'GET',
      headers,
      body,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects until one leads to the console (returned) or a page answers (thrown). */
  async followToConsole(from: URL): Promise<URL> {
    let url = from;
    for (let hop = 0; hop < 10; hop++) {
      if (url.href.startsWith(CONSOLE)) return url;
      const response = await this.visit(url);
      const location = response.headers.get('location');
      if (!location) throw new Error(`${url.pathname} answered ${response.status} without a redirect`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Opens the login page an authorization URL leads to: its form action and its HTML. */
async function openLoginPage(
  browser: Browser,
  authorizationUrl: URL,
): Promise<{ action: URL; html: string }> {
  const first = await browser.visit(authorizationUrl);
  expect(first.status).toBe(303);
  const pageUrl = new URL(first.headers.get('location') ?? '', authorizationUrl);
  const page = await browser.visit(pageUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form on ${pageUrl.pathname}`);
  return { action: new URL(action, pageUrl), html };
}

describe('staff sign-in against the embedded OpenID Connect provider', () => {
  let home: string;
  let provider: LocalOidcProvider;
  let signIn: StaffSignIn;
  let accounts: StaffAccount[];
  const account = (email: string) => {
    const found = accounts.find((a) => a.email === email);
    if (!found) throw new Error(`no demo account ${email}`);
    return found;
  };
  const oddAccounts: StaffAccount[] = [
    {
      email: 'no-commission@staff.bangfu.example.org',
      name: '无单位',
      commissionId: '',
      role: 'viewer',
      password: 'p1',
    },
    {
      email: 'odd-role@staff.bangfu.example.org',
      name: '角色不明',
      commissionId: 'fj-provincial-commission',
      role: 'superuser' as StaffAccount['role'],
      password: 'p2',
    },
  ];

  /** Signs in with the form and returns where the provider sends the browser back to the console. */
  async function signInAs(
    email: string,
    password: string,
  ): Promise<{ callback: URL; pending: PendingSignIn }> {
    const browser = new Browser();
    const { url, pending } = await signIn.beginSignIn();
    const { action } = await openLoginPage(browser, url);
    const posted = await browser.visit(action, { form: { email, password } });
    expect(posted.status).toBe(303);
    const callback = await browser.followToConsole(new URL(posted.headers.get('location') ?? '', action));
    return { callback, pending };
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'bangfu-oidc-'));
    accounts = await demoStaffAccounts(home);
    provider = await startLocalOidcProvider({
      home,
      accounts: [...accounts, ...oddAccounts],
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: [AFTER_SIGN_OUT],
      port: 0,
    });
    signIn = createStaffSignIn({
      issuer: provider.issuer,
      clientId: provider.clientId,
      redirectUri: CALLBACK,
      postLogoutRedirectUri: AFTER_SIGN_OUT,
    });
  });

  afterAll(async () => {
    await provider?.close();
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ['fj-provincial-commission.admin@staff.bangfu.example.org', 'fj-provincial-commission', 'admin'],
    ['js-provincial-commission.viewer@staff.bangfu.example.org', 'js-provincial-commission', 'viewer'],
    [
      'fj-xiamen-health-commission.reviewer@staff.bangfu.example.org',
      'fj-xiamen-health-commission',
      'reviewer',
    ],
  ])(
    'signs %s in with the commission and role from the signed ID token',
    async (email, commissionId, role) => {
      const { callback, pending } = await signInAs(email, account(email).password);
      expect(callback.origin + callback.pathname).toBe(CALLBACK);
      expect(callback.searchParams.get('code')).toBeTruthy();

      const signedIn = await signIn.completeSignIn(callback, pending);

      expect(signedIn.identity).toEqual({
        subject: localSubject(email),
        email,
        name: account(email).name,
        commissionId,
        role,
      });
      expect(signedIn.idToken.split('.')).toHaveLength(3);
      expect(signedIn.expiresAt).toBeGreaterThan(Date.now());
    },
  );

  it('shows its own Chinese login page, not the library development page', async () => {
    const { url } = await signIn.beginSignIn();
    const { html } = await openLoginPage(new Browser(), url);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('卫健委工作人员登录');
    expect(html).toContain('name="password"');
    expect(html).not.toMatch(/Sign-in|devInteractions|development/i);
  });

  it('answers a wrong password with a Chinese error and no code, and still accepts the right one', async () => {
    const browser = new Browser();
    const email = 'fj-provincial-commission.admin@staff.bangfu.example.org';
    const { url, pending } = await signIn.beginSignIn();
    const { action } = await openLoginPage(browser, url);

    const wrong = await browser.visit(action, { form: { email, password: 'not-the-password' } });

    expect(wrong.status).toBe(200);
    expect(wrong.headers.get('location')).toBeNull();
    const html = await wrong.text();
    expect(html).toContain('邮箱或密码不正确，请重新输入。');
    expect(html).toContain(`value="${email}"`);

    const right = await browser.visit(action, { form: { email, password: account(email).password } });
    expect(right.status).toBe(303);
    const callback = await browser.followToConsole(new URL(right.headers.get('location') ?? '', action));
    expect((await signIn.completeSignIn(callback, pending)).identity.role).toBe('admin');
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    const browser = new Browser();
    const { url } = await signIn.beginSignIn();
    const { action } = await openLoginPage(browser, url);
    const response = await browser.visit(action, {
      form: { email: 'nobody@staff.bangfu.example.org', password: 'x' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('邮箱或密码不正确，请重新输入。');
  });

  it('refuses a callback whose state was tampered with', async () => {
    const email = 'fj-provincial-commission.viewer@staff.bangfu.example.org';
    const { callback, pending } = await signInAs(email, account(email).password);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${pending.state}x`);

    const attempt = signIn.completeSignIn(tampered, pending);

    await expect(attempt).rejects.toBeInstanceOf(SignInFailedError);
    await expect(attempt).rejects.toMatchObject({ failure: 'response-rejected' });
  });

  it('refuses a callback completed with another attempt’s PKCE verifier', async () => {
    const email = 'fj-provincial-commission.viewer@staff.bangfu.example.org';
    const { callback, pending } = await signInAs(email, account(email).password);
    const other = (await signIn.beginSignIn()).pending;

    const attempt = signIn.completeSignIn(callback, { ...pending, codeVerifier: other.codeVerifier });

    await expect(attempt).rejects.toMatchObject({ name: 'SignInFailedError', failure: 'response-rejected' });
  });

  it('refuses an authorization request without a PKCE code_challenge', async () => {
    const { url, pending } = await signIn.beginSignIn();
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');

    const response = await new Browser().visit(url);

    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.has('code')).toBe(false);
    await expect(signIn.completeSignIn(back, pending)).rejects.toMatchObject({ failure: 'provider-refused' });
  });

  it('refuses, in Chinese, a redirect URI the client did not register and a login page without its cookie', async () => {
    const { url } = await signIn.beginSignIn();
    url.searchParams.set('redirect_uri', 'http://127.0.0.1:9/elsewhere');
    const refused = await new Browser().visit(url);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain('登录请求无效或已过期。');

    const { url: fresh } = await signIn.beginSignIn();
    const redirect = await new Browser().visit(fresh);
    const stranger = await new Browser().visit(new URL(redirect.headers.get('location') ?? '', fresh));
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('本次登录已过期或已在其他窗口完成。');
  });

  it.each([
    ['no-commission@staff.bangfu.example.org', 'p1', 'no-commission'],
    ['odd-role@staff.bangfu.example.org', 'p2', 'unknown-role'],
  ])('refuses the signed identity of %s (%s)', async (email, password, problem) => {
    const { callback, pending } = await signInAs(email, password);

    const attempt = signIn.completeSignIn(callback, pending);

    await expect(attempt).rejects.toBeInstanceOf(StaffIdentityRejectedError);
    await expect(attempt).rejects.toMatchObject({ problem });
  });

  it('signs out at the end_session_endpoint, behind a Chinese confirmation, back to the console', async () => {
    const browser = new Browser();
    const email = 'js-provincial-commission.admin@staff.bangfu.example.org';
    const { url, pending } = await signIn.beginSignIn();
    const { action } = await openLoginPage(browser, url);
    const posted = await browser.visit(action, { form: { email, password: account(email).password } });
    const callback = await browser.followToConsole(new URL(posted.headers.get('location') ?? '', action));
    const { idToken } = await signIn.completeSignIn(callback, pending);
    // While the provider's session lasts, a new sign-in skips the form.
    const meanwhile = await signIn.beginSignIn();
    expect((await browser.followToConsole(meanwhile.url)).searchParams.get('code')).toBeTruthy();

    const signOut = await signIn.signOutUrl(idToken);
    expect(signOut.origin).toBe(provider.issuer);
    const confirm = await browser.visit(signOut);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('确定退出登录吗？');
    const form =
      /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"/.exec(
        html,
      );
    if (!form?.[1] || !form[2]) throw new Error('no logout form');
    const done = await browser.visit(new URL(form[1], signOut), { form: { xsrf: form[2], logout: 'yes' } });
    expect(done.status).toBe(303);
    expect(await browser.followToConsole(new URL(done.headers.get('location') ?? '', signOut))).toEqual(
      new URL(AFTER_SIGN_OUT),
    );

    // The provider's session is gone: a new sign-in asks for the password again.
    const again = await signIn.beginSignIn();
    const first = await browser.visit(again.url);
    expect(new URL(first.headers.get('location') ?? '', again.url).pathname).toMatch(/^\/interaction\//);
  });

  it('keeps its signing key across a restart on the same home, and a new home gets its own', async () => {
    const kids = async (issuer: string) => {
      const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
        jwks_uri: string;
      };
      const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
      return jwks.keys.map((k) => k.kid);
    };
    const options = { accounts, redirectUris: [CALLBACK], postLogoutRedirectUris: [AFTER_SIGN_OUT] };
    const before = await kids(provider.issuer);
    const again = await startLocalOidcProvider({ home, ...options });
    const otherHome = await mkdtemp(join(tmpdir(), 'bangfu-oidc-'));
    const other = await startLocalOidcProvider({ home: otherHome, ...options });
    try {
      expect(await kids(again.issuer)).toEqual(before);
      expect(await kids(other.issuer)).not.toEqual(before);
    } finally {
      await again.close();
      await other.close();
      await rm(otherHome, { recursive: true, force: true });
    }
  });
});
