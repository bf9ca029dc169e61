/**
 * A staff member signed in to the local app's console over real HTTP, as a browser does it: the
 * console's redirect to the embedded OpenID Connect provider, its Chinese login form filled with a
 * demo account, the callback, and a cookie jar that keeps every cookie as a browser would (by name and
 * path; cookies do not tell ports apart, so the provider's and the console's share one host).
 */
import type { LocalApp } from '../../../functions/local/local-app.ts';
import type { StaffAccount } from '../../../functions/local/oidc-provider.ts';

/** The provincial admin of Fujian: sees and may do everything in the console. */
export const DEFAULT_STAFF_EMAIL = 'fj-provincial-commission.admin@staff.bangfu.example.org';

export interface StoredCookie {
  name: string;
  value: string;
  path: string;
  /** The Set-Cookie header it came from, attributes and all. */
  setCookie: string;
}

/** Cookies by name and path, sent to every port of the host, as browsers do. */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Keeps what a response sets; a cookie set to expire (Max-Age=0, or empty) is removed. */
  store(response: Response, url: URL): void {
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const path =
        attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? url.pathname.replace(/\/[^/]*$/, '/');
      const key = `${name};${path}`;
      const expired = !value || attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=.*1970/i.test(a));
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path, setCookie });
    }
  }

  /** The Cookie header a browser sends to `url`: longer paths first. */
  headerFor(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => url.pathname === c.path.replace(/\/$/, '') || url.pathname.startsWith(c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get(name: string): StoredCookie | undefined {
    return [...this.cookies.values()].find((c) => c.name === name);
  }

  set(cookie: Omit<StoredCookie, 'setCookie'>): void {
    this.cookies.set(`${cookie.name};${cookie.path}`, { ...cookie, setCookie: '' });
  }
}

export interface StaffBrowser {
  account: StaffAccount;
  jar: CookieJar;
  /** The console's origin, e.g. `http://127.0.0.1:54321`. */
  origin: string;
  /**
   * fetch with this browser's cookies, redirects not followed; a path is resolved against the console.
   * Pages are asked for as a browser asks for them (`accept: text/html`) unless `init` says otherwise.
   */
  fetch(url: string | URL, init?: RequestInit): Promise<Response>;
  /** The CSRF token of the current session, as the console puts it in its forms. */
  csrfToken(): Promise<string>;
  /** Where the sign-in finally sent the browser (the console address it started from). */
  landedAt: URL;
}

/** A browser with no session yet: what an anonymous visitor's requests look like. */
export function anonymousBrowser(app: LocalApp): Omit<StaffBrowser, 'account' | 'csrfToken' | 'landedAt'> {
  const origin = app.stack.endpoints.api;
  const jar = new CookieJar();
  return {
    jar,
    origin,
    async fetch(url, init = {}) {
      const target = new URL(url, origin);
      const headers = new Headers(init.headers);
      if (!headers.has('accept')) headers.set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
      const cookie = jar.headerFor(target);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(target, { ...init, headers, redirect: 'manual' });
      jar.store(response, target);
      return response;
    },
  };
}

/**
 * Signs `email` (a demo account of the app's provider) in, starting from the console address
 * `start`, and returns the browser holding the session.
 */
export async function signInToConsole(
  app: LocalApp,
  email: string = DEFAULT_STAFF_EMAIL,
  start = '/staff/documents',
): Promise<StaffBrowser> {
  const account = app.stack.staffAccounts.find((a) => a.email === email);
  if (!account) throw new Error(`no demo staff account ${email}`);
  const browser = anonymousBrowser(app);
  const isConsole = (url: URL) => url.origin === browser.origin && !url.pathname.startsWith('/staff/auth/');

  // The console sends the visitor to sign in, which sends the browser on to the provider's form.
  const form = await follow(browser, new URL(start, browser.origin), isConsole);
  if (!('page' in form)) throw new Error(`${start} did not lead to a login form`);
  const action = /<form method="post" action="([^"]+)"/.exec(await form.page.text())?.[1];
  if (!action) throw new Error(`no login form at ${form.url.pathname}`);
  const actionUrl = new URL(action, form.url);
  const posted = await browser.fetch(actionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: account.password }).toString(),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 303 || !location) throw new Error(`the login form answered ${posted.status}`);
  // Back through the provider to the callback, which sets the session and sends the browser on.
  const landed = await follow(browser, new URL(location, actionUrl), isConsole);
  if (!('landedAt' in landed))
    throw new Error(`the sign-in ended on ${landed.url.href} (${landed.page.status})`);

  return {
    ...browser,
    account,
    landedAt: landed.landedAt,
    async csrfToken() {
      const staff = app.wiring.staff;
      const cookie = browser.jar.get('bangfu_staff');
      const session = staff && (await staff.sessions.read(cookie?.value, app.wiring.clock()));
      if (!staff || !session) throw new Error('no staff session in this browser');
      return staff.sessions.csrfTokenOf(session);
    },
  };
}

/** Follows redirects until one leads where `stop` says (not visited), or a page answers. */
async function follow(
  browser: Pick<StaffBrowser, 'fetch'>,
  from: URL,
  stop: (url: URL) => boolean,
): Promise<{ landedAt: URL } | { page: Response; url: URL }> {
  let url = from;
  let first = true;
  for (let hop = 0; hop < 12; hop++) {
    if (!first && stop(url)) return { landedAt: url };
    first = false;
    const response = await browser.fetch(url);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { page: response, url };
    url = new URL(location, url);
  }
  throw new Error(`too many redirects from ${from.href}`);
}
