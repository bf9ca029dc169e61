/**
 * The guard in front of every console route (`/staff/…` but `/staff/auth/…`):
 *
 * 1. The session cookie must open (sealed by this API, unchanged, not expired). Without one, a page
 *    visit (GET asking for HTML) is sent to sign in and comes back to the same address afterwards;
 *    anything else, a script's or a tool's request, gets 401.
 * 2. A state-changing request (anything but GET and HEAD) must come from the console's own origin
 *    (Origin, else Referer) and carry the session's CSRF token (`_csrf` field or `x-csrf-token`
 *    header); otherwise 403. SameSite=Lax already keeps the cookie off cross-site posts; this holds
 *    also against a sibling site, or a browser that ignores SameSite.
 * 3. The route then finds the staff member in `c.get('staff')` and the token for its forms in
 *    `c.get('csrfToken')`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RouteDeps, StaffAccess, WebEnv } from './context.ts';
import { clearCookie, readCookie } from './cookies.ts';
import { CSRF_REFUSED, UNAUTHENTICATED } from './error-pages.ts';
import { messagePage, seeOther } from './responses.ts';
import { SIGN_IN_PATH, STAFF_AUTH_PREFIX } from './staff-paths.ts';
import type { StaffSession, StaffSessions } from './staff-sessions.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function staffGuard(access: StaffAccess, { pages, log }: RouteDeps): MiddlewareHandler<WebEnv> {
  const { sessions } = access;
  return async (c, next) => {
    if (c.req.path.startsWith(STAFF_AUTH_PREFIX)) return next();
    const cookie = readCookie(c, sessions.sessionCookie);
    const session = await sessions.read(cookie, access.clock());
    if (!session) {
      if (cookie) clearCookie(c, sessions.sessionCookie);
      if (SAFE_METHODS.has(c.req.method) && /text\/html/i.test(c.req.header('accept') ?? '')) {
        const url = new URL(c.req.url);
        return seeOther(c, `${SIGN_IN_PATH}?return=${encodeURIComponent(url.pathname + url.search)}`);
      }
      return messagePage(c, pages, UNAUTHENTICATED);
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const refusal = await csrfRefusal(c, sessions, session);
      if (refusal) {
        log({
          level: 'warn',
          message: 'csrf refused',
          reason: refusal,
          method: c.req.method,
          path: c.req.path,
        });
        return messagePage(c, pages, CSRF_REFUSED);
      }
    }
    c.set('staff', session.identity);
    c.set('csrfToken', sessions.csrfTokenOf(session));
    return next();
  };
}

/** Why a state-changing request is refused, or undefined when it comes from the console with its token. */
export async function csrfRefusal(
  c: Context,
  sessions: StaffSessions,
  session: StaffSession,
): Promise<'origin' | 'token' | undefined> {
  if (!isFromOrigin(c, sessions.publicOrigin)) return 'origin';
  return sessions.isCsrfTokenOf(session, await csrfTokenIn(c)) ? undefined : 'token';
}

/**
 * Origin, which browsers send with every POST; else Referer. Neither (or `Origin: null`, a page that
 * sends no Referer or a sandboxed frame) is refused.
 */
export function isFromOrigin(c: Context, publicOrigin: string): boolean {
  const origin = c.req.header('origin');
  if (origin) return origin === publicOrigin;
  const referer = c.req.header('referer');
  if (!referer) return false;
  try {
    return new URL(referer).origin === publicOrigin;
  } catch {
    return false;
  }
}

/** The header, else the `_csrf` field of a form body (hono keeps the parsed body for the route). */
async function csrfTokenIn(c: Context): Promise<string | undefined> {
  const header = c.req.header('x-csrf-token');
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  try {
    const field = (await c.req.parseBody())._csrf;
    return typeof field === 'string' ? field : undefined;
  } catch {
    return undefined;
  }
}
