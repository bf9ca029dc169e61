/**
 * What the console keeps in the browser, sealed with keys only the API holds: the staff session and,
 * for the minutes between the redirect to the identity provider and its callback, the pending sign-in.
 *
 * Both are JWTs encrypted with AES-256-GCM under a direct key (`dir`): the browser can neither read
 * them (the identity, the ID token and the CSRF secret stay opaque) nor change a byte unnoticed. Each
 * key is derived with HKDF from the link-signing secret under its own `info`, so neither is the key
 * that signs upload or download tickets, and a sealed value of one kind never opens as the other.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { z } from 'zod';
import { STAFF_ROLES, type StaffIdentity } from '../../domain/staff.ts';
import { type PendingSignIn, type SignedInStaff, SignInFailedError } from '../oidc-client.ts';

/** A working day: a person signs in again the next morning. */
export const SESSION_HOURS = 8;
/** How long a sign-in may take between the redirect to the provider and its callback. */
export const PENDING_SIGN_IN_SECONDS = 10 * 60;

/**
 * Browsers keep a cookie of at most 4096 bytes, name and attributes included; past this length the
 * session leaves the ID token out (sign-out then goes without `id_token_hint`).
 */
const MAX_SESSION_VALUE_LENGTH = 3800;

const SESSION_INFO = 'bangfu staff session cookie v1';
const PENDING_INFO = 'bangfu staff pending sign-in cookie v1';
const CSRF_INFO = 'bangfu staff csrf token v1';
const HKDF_SALT = 'bangfu-staff-cookies';

/** A signed-in staff member's session, as the console reads it back from the cookie. */
export interface StaffSession {
  identity: StaffIdentity;
  /** For the provider's sign-out (`id_token_hint`); absent when it did not fit in the cookie. */
  idToken?: string;
  /** Random per session; CSRF tokens are derived from it (`csrfTokenOf`). */
  csrfSecret: string;
  expiresAt: Date;
}

/** The pending sign-in and the console address to return to once it completes. */
export interface PendingStaffSignIn extends PendingSignIn {
  returnTo: string;
}

/** How a cookie is named and scoped: `__Host-`/`__Secure-` and Secure only over https. */
export interface CookieScope {
  name: string;
  path: string;
  secure: boolean;
  /** hono's cookie prefix: `host` adds `__Host-` (Path=/), `secure` adds `__Secure-`. */
  prefix?: 'host' | 'secure';
}

export interface StaffSessions {
  /** The console's public origin (scheme, host, port): what Origin must say on a state-changing request. */
  readonly publicOrigin: string;
  readonly sessionCookie: CookieScope;
  readonly pendingCookie: CookieScope;
  /**
   * A new session for a completed sign-in, sealed. It lasts SESSION_HOURS and never longer than the ID
   * token has left to live.
   */
  issue(
    signedIn: SignedInStaff,
    now: Date,
  ): Promise<{ value: string; session: StaffSession; maxAgeSeconds: number }>;
  /** The session in a cookie value; undefined if there is none, it was changed, or it has expired. */
  read(value: string | undefined, now: Date): Promise<StaffSession | undefined>;
  sealPending(pending: PendingStaffSignIn, now: Date): Promise<string>;
  openPending(value: string | undefined, now: Date): Promise<PendingStaffSignIn | undefined>;
  /** The token a page puts in its forms (`_csrf`) and scripts send as `x-csrf-token`. */
  csrfTokenOf(session: StaffSession): string;
  isCsrfTokenOf(session: StaffSession, token: string | undefined): boolean;
}

export interface StaffSessionSettings {
  /** The link-signing secret (`config.uploads.ticketSecret`): the keys are derived from it. */
  secret: string;
  /** The public URL people open (`config.uploads.publicUrl`): its origin, and https or not. */
  publicUrl: string;
}

const identitySchema = z.strictObject({
  subject: z.string().min(1),
  email: z.string().min(1),
  name: z.string(),
  commissionId: z.string().min(1),
  role: z.enum(STAFF_ROLES),
});
const sessionClaims = z.object({
  staff: identitySchema,
  csrf: z.string().min(32),
  idt: z.string().optional(),
  exp: z.number(),
});
const pendingClaims = z.object({
  st: z.string().min(1),
  nn: z.string().min(1),
  cv: z.string().min(43),
  ret: z.string().min(1),
});

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function createStaffSessions(settings: StaffSessionSettings): StaffSessions {
  const publicUrl = new URL(settings.publicUrl);
  const secure = publicUrl.protocol === 'https:';
  const sessionKey = derivedKey(settings.secret, SESSION_INFO);
  const pendingKey = derivedKey(settings.secret, PENDING_INFO);

  const seal = (claims: Record<string, unknown>, key: Uint8Array, now: Date, expiresAt: Date) =>
    new EncryptJWT(claims)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(seconds(now))
      .setExpirationTime(seconds(expiresAt))
      .encrypt(key);
  const open = async (value: string | undefined, key: Uint8Array, now: Date) => {
    if (!value) return undefined;
    try {
      const { payload } = await jwtDecrypt(value, key, {
        currentDate: now,
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      return payload;
    } catch {
      // Changed, sealed under another key, or expired: as if there were no cookie.
      return undefined;
    }
  };
  const csrfTokenOf = (session: StaffSession) =>
    createHmac('sha256', Buffer.from(session.csrfSecret, 'base64url')).update(CSRF_INFO).digest('base64url');

  return {
    publicOrigin: publicUrl.origin,
    sessionCookie: secure
      ? { name: 'bangfu_staff', path: '/', secure, prefix: 'host' }
      : { name: 'bangfu_staff', path: '/', secure },
    pendingCookie: secure
      ? { name: 'bangfu_sign_in', path: '/staff/auth/', secure, prefix: 'secure' }
      : { name: 'bangfu_sign_in', path: '/staff/auth/', secure },

    async issue(signedIn, now) {
      // The ID token's remaining life is measured on the wall clock, as openid-client checked it; the
      // session lives on the app's clock (a simulated one when a demo replays a plan year).
      const tokenLifeMs = signedIn.expiresAt - Date.now();
      if (tokenLifeMs <= 0)
        throw new SignInFailedError('response-rejected', { cause: new Error('the ID token has expired') });
      const lifeMs = Math.min(SESSION_HOURS * 3600_000, tokenLifeMs);
      const expiresAt = new Date(seconds(new Date(now.getTime() + lifeMs)) * 1000);
      const session: StaffSession = {
        identity: { ...signedIn.identity },
        idToken: signedIn.idToken,
        csrfSecret: randomBytes(32).toString('base64url'),
        expiresAt,
      };
      const claims = { staff: session.identity, csrf: session.csrfSecret };
      let value = await seal({ ...claims, idt: signedIn.idToken }, sessionKey, now, expiresAt);
      if (value.length > MAX_SESSION_VALUE_LENGTH) {
        delete session.idToken;
        value = await seal(claims, sessionKey, now, expiresAt);
      }
      return { value, session, maxAgeSeconds: Math.max(1, seconds(expiresAt) - seconds(now)) };
    },

    async read(value, now) {
      const parsed = sessionClaims.safeParse(await open(value, sessionKey, now));
      if (!parsed.success) return undefined;
      const { staff, csrf, idt, exp } = parsed.data;
      return {
        identity: staff,
        ...(idt ? { idToken: idt } : {}),
        csrfSecret: csrf,
        expiresAt: new Date(exp * 1000),
      };
    },

    sealPending(pending, now) {
      const claims = {
        st: pending.state,
        nn: pending.nonce,
        cv: pending.codeVerifier,
        ret: pending.returnTo,
      };
      return seal(claims, pendingKey, now, new Date(now.getTime() + PENDING_SIGN_IN_SECONDS * 1000));
    },

    async openPending(value, now) {
      const parsed = pendingClaims.safeParse(await open(value, pendingKey, now));
      if (!parsed.success) return undefined;
      const { st, nn, cv, ret } = parsed.data;
      return { state: st, nonce: nn, codeVerifier: cv, returnTo: ret };
    },

    csrfTokenOf,
    isCsrfTokenOf(session, token) {
      if (!token) return false;
      const given = Buffer.from(token);
      const expected = Buffer.from(csrfTokenOf(session));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

function derivedKey(secret: string, info: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, HKDF_SALT, info, 32));
}
