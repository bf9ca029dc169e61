/**
 * The console's side of staff sign-in (openid-client): OpenID Connect authorization code flow with
 * PKCE (S256), state and nonce, against Cognito managed login on AWS and the embedded provider locally.
 *
 * 1. `beginSignIn` discovers the issuer (once), and returns the authorization URL to redirect to with
 *    the secrets the callback needs (`PendingSignIn`): the console keeps them until the callback, in a
 *    short-lived cookie it encrypts or in its store, never in the URL.
 * 2. `completeSignIn` takes the callback URL and those secrets; the library checks the state, exchanges
 *    the code with the verifier, and validates the ID token (issuer, audience, expiry, nonce, and its
 *    signature against the issuer's JWKS); the claims become a StaffIdentity or a refusal.
 * 3. `signOutUrl` ends the provider's session too: the end_session_endpoint where discovery names one
 *    (the local provider), else Cognito's `/logout` on the managed login domain.
 */
import * as oidc from 'openid-client';
import type { StaffIdentity } from '../domain/staff.ts';
import { STAFF_SCOPES, staffIdentityFromClaims } from './staff-claims.ts';

export interface OidcClientSettings {
  /**
   * The issuer to discover: `https://cognito-idp.<region>.amazonaws.com/<user pool id>` on AWS, the
   * embedded provider's `http://127.0.0.1:<port>` locally. Plain http is accepted for loopback only.
   */
  issuer: string;
  /** The app client id (Cognito generates it; locally `bangfu-console`). */
  clientId: string;
  /** The console's callback, registered with the provider: `<api origin>/staff/auth/callback`. */
  redirectUri: string;
  /** Where the provider sends people after signing out, registered too: `<api origin>/staff/`. */
  postLogoutRedirectUri: string;
  /**
   * Cognito's logout endpoint (`https://<domain>/logout`), used when discovery has no
   * end_session_endpoint.
   * @default `/logout` on the origin of the discovered authorization_endpoint (the managed login domain)
   */
  logoutEndpoint?: string;
}

/** The secrets of one sign-in attempt, kept by the console between redirect and callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignedInStaff {
  identity: StaffIdentity;
  /** For `signOutUrl`'s id_token_hint. */
  idToken: string;
  /** When the ID token expires (ms since the epoch): the console's session should not outlive it. */
  expiresAt: number;
}

export interface StaffSignIn {
  beginSignIn(): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Throws SignInFailedError (state, code or token refused) or StaffIdentityRejectedError (claims). */
  completeSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<SignedInStaff>;
  signOutUrl(idTokenHint?: string): Promise<URL>;
}

export type SignInFailure =
  /** The provider answered the callback with `error=` (e.g. access_denied, invalid_request). */
  | 'provider-refused'
  /** State, code, token response or ID token did not check out. */
  | 'response-rejected';

/** A callback that does not complete a sign-in; `message` is for the user, `cause` for logs. */
export class SignInFailedError extends Error {
  override readonly name = 'SignInFailedError';
  readonly status = 400;
  constructor(
    readonly failure: SignInFailure,
    options: { cause: unknown },
  ) {
    super('登录未完成或已过期，请返回工作台重新登录。', options);
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** True for `http://127.0.0.1:…` and the like: the only issuers allowed without TLS. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** A sign-in client for one issuer; it discovers the issuer on first use and retries after a failure. */
export function createStaffSignIn(settings: OidcClientSettings): StaffSignIn {
  const issuer = new URL(settings.issuer);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopbackUrl(issuer)))
    throw new RangeError(
      `the sign-in issuer must use https (plain http only on loopback): ${settings.issuer}`,
    );

  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(issuer, settings.clientId, { redirect_uris: [settings.redirectUri] }, oidc.None(), {
        execute: [
          // Signatures are checked even though the token comes straight from the token endpoint:
          // locally there is no TLS to vouch for the issuer.
          oidc.enableNonRepudiationChecks,
          ...(issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : []),
        ],
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  return {
    async beginSignIn() {
      const config = await configuration();
      const pending: PendingSignIn = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        response_type: 'code',
        scope: STAFF_SCOPES,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },

    async completeSignIn(callbackUrl, pending) {
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw refusal(error);
      }
      const claims = tokens.claims();
      if (!claims || !tokens.id_token)
        throw new SignInFailedError('response-rejected', { cause: new Error('no ID token') });
      return {
        identity: staffIdentityFromClaims(claims),
        idToken: tokens.id_token,
        expiresAt: claims.exp * 1000,
      };
    },

    async signOutUrl(idTokenHint) {
      const config = await configuration();
      const metadata = config.serverMetadata();
      if (metadata.end_session_endpoint) {
        return oidc.buildEndSessionUrl(config, {
          post_logout_redirect_uri: settings.postLogoutRedirectUri,
          ...(idTokenHint ? { id_token_hint: idTokenHint } : {}),
        });
      }
      return cognitoLogoutUrl(settings, metadata.authorization_endpoint);
    },
  };
}

/**
 * Cognito's sign-out, `GET /logout?client_id=…&logout_uri=…` on the managed login domain: the
 * configured endpoint, else the origin of the discovered authorization_endpoint.
 */
export function cognitoLogoutUrl(
  settings: Pick<OidcClientSettings, 'clientId' | 'postLogoutRedirectUri' | 'logoutEndpoint'>,
  authorizationEndpoint: string | undefined,
): URL {
  const url = new URL(settings.logoutEndpoint ?? cognitoLogoutEndpoint(authorizationEndpoint));
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('logout_uri', settings.postLogoutRedirectUri);
  return url;
}

function cognitoLogoutEndpoint(authorizationEndpoint: string | undefined): string {
  if (!authorizationEndpoint)
    throw new RangeError('the issuer names neither an end_session_endpoint nor an authorization_endpoint');
  return new URL('/logout', authorizationEndpoint).href;
}

/** Library refusals become SignInFailedError; anything else (the provider unreachable) is rethrown. */
function refusal(error: unknown): unknown {
  if (error instanceof oidc.AuthorizationResponseError)
    return new SignInFailedError('provider-refused', { cause: error });
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.ClientError)
    return new SignInFailedError('response-rejected', { cause: error });
  return error;
}
