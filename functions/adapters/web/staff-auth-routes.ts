/**
 * Staff sign-in and sign-out (OpenID Connect authorization code flow with PKCE, oidc-client.ts):
 *
 *   GET  /staff/auth/sign-in?return=…   303 to the provider; the pending sign-in waits in a sealed
 *                                       cookie (Path=/staff/auth/, ten minutes)
 *   GET  /staff/auth/callback?code=…    completes it: the audit hook, the session cookie, 303 back
 *   POST /staff/auth/sign-out           CSRF-checked: clears the session, 303 to the provider's sign-out
 */
import { Hono } from 'hono';
import { redactText } from '../log-entries.ts';
import { SignInFailedError } from '../oidc-client.ts';
import { StaffIdentityRejectedError } from '../staff-claims.ts';
import type { RouteDeps, StaffAccess, WebEnv } from './context.ts';
import { clearCookie, readCookie, writeCookie } from './cookies.ts';
import { CSRF_REFUSED, identityRejectedPage, signInFailedPage } from './error-pages.ts';
import { messagePage, seeOther } from './responses.ts';
import { csrfRefusal, isFromOrigin } from './staff-guard.ts';
import { staffReturnPath } from './staff-paths.ts';
import { PENDING_SIGN_IN_SECONDS } from './staff-sessions.ts';

/** SignInFailedError's own words: the callback came without the sign-in this browser started. */
const NO_PENDING_SIGN_IN = '登录未完成或已过期，请返回工作台重新登录。';

export function staffAuthRoutes(access: StaffAccess, deps: RouteDeps): Hono<WebEnv> {
  const { sessions, signIn } = access;
  const { pages, log } = deps;
  const onSignIn = access.onSignIn ?? (() => undefined);
  const routes = new Hono<WebEnv>();

  routes.get('/sign-in', async (c) => {
    const returnTo = staffReturnPath(c.req.query('return'));
    const { url, pending } = await signIn.beginSignIn();
    const sealed = await sessions.sealPending({ ...pending, returnTo }, access.clock());
    writeCookie(c, sessions.pendingCookie, sealed, PENDING_SIGN_IN_SECONDS);
    return seeOther(c, url.href);
  });

  routes.get('/callback', async (c) => {
    const now = access.clock();
    const pending = await sessions.openPending(readCookie(c, sessions.pendingCookie), now);
    // One attempt per pending sign-in, whatever its outcome.
    clearCookie(c, sessions.pendingCookie);
    if (!pending) {
      log({ level: 'info', message: 'sign-in refused', failure: 'no-pending-sign-in' });
      return messagePage(c, pages, signInFailedPage(NO_PENDING_SIGN_IN));
    }
    // The callback as registered plus the query exactly as the provider sent it: the library compares
    // it with the redirect_uri of the authorization request.
    const callbackUrl = new URL(`${access.callbackUrl}${new URL(c.req.url).search}`);
    let signedIn: Awaited<ReturnType<typeof signIn.completeSignIn>>;
    try {
      const { returnTo: _, ...secrets } = pending;
      signedIn = await signIn.completeSignIn(callbackUrl, secrets);
    } catch (error) {
      if (error instanceof SignInFailedError) {
        log({
          level: 'info',
          message: 'sign-in refused',
          failure: error.failure,
          cause: redactText(String((error.cause as Error | undefined)?.message ?? error.cause)),
        });
        return messagePage(c, pages, signInFailedPage(error.message));
      }
      if (error instanceof StaffIdentityRejectedError) {
        log({
          level: 'info',
          message: 'sign-in refused',
          problem: error.problem,
          detail: redactText(error.detail),
        });
        return messagePage(c, pages, identityRejectedPage(error.message));
      }
      throw error;
    }
    const { identity } = signedIn;
    // Audited before the session exists: a sign-in that could not be recorded does not happen.
    await onSignIn(identity, now);
    const { value, maxAgeSeconds } = await sessions.issue(signedIn, now);
    writeCookie(c, sessions.sessionCookie, value, maxAgeSeconds);
    log({
      level: 'info',
      message: 'staff signed in',
      subject: identity.subject,
      commissionId: identity.commissionId,
      role: identity.role,
    });
    return seeOther(c, pending.returnTo);
  });

  routes.post('/sign-out', async (c) => {
    const session = await sessions.read(readCookie(c, sessions.sessionCookie), access.clock());
    // Without a session there is no token to check, but still only the console's own pages sign out.
    const refusal = session
      ? await csrfRefusal(c, sessions, session)
      : isFromOrigin(c, sessions.publicOrigin)
        ? undefined
        : 'origin';
    if (refusal) {
      log({ level: 'warn', message: 'csrf refused', reason: refusal, method: 'POST', path: c.req.path });
      return messagePage(c, pages, CSRF_REFUSED);
    }
    clearCookie(c, sessions.sessionCookie);
    // The provider's own session ends too, or the next sign-in would skip the password.
    const url = await signIn.signOutUrl(session?.idToken);
    if (session) log({ level: 'info', message: 'staff signed out', subject: session.identity.subject });
    return seeOther(c, url.href);
  });

  return routes;
}
