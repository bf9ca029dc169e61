/**
 * The console's addresses that leave the API: the callback and the after-sign-out address are
 * registered with the identity provider (the Cognito app client's callback and sign-out URLs, the
 * local provider's redirect URIs) and must match what the console sends exactly.
 */
export const STAFF_HOME = '/staff/';
export const STAFF_AUTH_PREFIX = '/staff/auth/';
export const SIGN_IN_PATH = '/staff/auth/sign-in';
export const CALLBACK_PATH = '/staff/auth/callback';
export const SIGN_OUT_PATH = '/staff/auth/sign-out';

/** The callback and after-sign-out URLs under the public URL people open (`config.uploads.publicUrl`). */
export function staffSignInUrls(publicUrl: string): { callback: string; afterSignOut: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return { callback: `${base}${CALLBACK_PATH}`, afterSignOut: `${base}${STAFF_HOME}` };
}

/**
 * Where to go once signed in: a console address of this site, else the console's home. Never an
 * address elsewhere (`//evil.example`, `/\evil.example`), nor back into the sign-in itself.
 */
export function staffReturnPath(requested: string | undefined): string {
  if (!requested?.startsWith(STAFF_HOME) || /[\\\s]|\/\//.test(requested)) return STAFF_HOME;
  const base = 'http://console.invalid';
  let url: URL;
  try {
    url = new URL(requested, base);
  } catch {
    return STAFF_HOME;
  }
  if (
    url.origin !== base ||
    !url.pathname.startsWith(STAFF_HOME) ||
    url.pathname.startsWith(STAFF_AUTH_PREFIX)
  )
    return STAFF_HOME;
  return url.pathname + url.search;
}
