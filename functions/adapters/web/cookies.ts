/** The console's cookies: HttpOnly and SameSite=Lax always, Secure with a prefix over https. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieScope } from './staff-sessions.ts';

export function readCookie(c: Context, scope: CookieScope): string | undefined {
  return scope.prefix ? getCookie(c, scope.name, scope.prefix) : getCookie(c, scope.name);
}

/**
 * Lax, not Strict: the provider sends the browser back to the callback from its own site, and a
 * person opening the console from a link in an email arrives from another site too.
 */
export function writeCookie(c: Context, scope: CookieScope, value: string, maxAgeSeconds: number): void {
  setCookie(c, scope.name, value, { ...attributes(scope), maxAge: maxAgeSeconds });
}

export function clearCookie(c: Context, scope: CookieScope): void {
  deleteCookie(c, scope.name, attributes(scope));
}

function attributes(scope: CookieScope) {
  return {
    path: scope.path,
    secure: scope.secure,
    httpOnly: true,
    sameSite: 'Lax' as const,
    ...(scope.prefix ? { prefix: scope.prefix } : {}),
  };
}
