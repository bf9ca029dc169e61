/**
 * A real OpenID Connect provider (oidc-provider) for the local stack, standing in for Cognito managed
 * login: the console signs in against it with the same authorization code + PKCE flow, the same client
 * code and the same claims (`cognito:groups`, see adapters/staff-claims.ts) as on AWS.
 *
 * It serves one public client, `bangfu-console`, on a loopback port, with its own sign-in pages in
 * Chinese (templates/pages/staff-sign-*.html.hbs) instead of the library's development pages.
 * Signing keys and cookie keys are made once per BANGFU_HOME and kept there, so ID tokens and cookies
 * stay valid across a restart. Sessions, grants and codes live in the library's in-memory adapter: a
 * restart signs everyone out, which is acceptable locally (Cognito keeps its own sessions on AWS).
 */
import { createHash, generateKeyPair, type JsonWebKey, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { createSignInPageRenderer, type SignInPageRenderer } from '../adapters/sign-in-pages.ts';
import { GROUPS_CLAIM, STAFF_SCOPES, staffGroups } from '../adapters/staff-claims.ts';
import type { StaffRole } from '../domain/staff.ts';
import type { MessagePageView } from '../domain/upload.ts';
import { jsonInHome, secretInHome } from './home-secrets.ts';

/** The console's client id here; on AWS, Cognito generates the id of the app client `bangfu-console`. */
export const CONSOLE_CLIENT_ID = 'bangfu-console';

/** A staff login of the local provider. */
export interface StaffAccount {
  /** Under example.org only: these are made-up people. */
  email: string;
  name: string;
  /** Institution id of a provincial or city commission. */
  commissionId: string;
  role: StaffRole;
  password: string;
}

export interface LocalOidcProviderOptions {
  /** BANGFU_HOME: where the signing and cookie keys are kept. */
  home: string;
  accounts: readonly StaffAccount[];
  /** The console's callback URL(s), e.g. `${api}/staff/auth/callback`. */
  redirectUris: readonly string[];
  /** Where the provider may send people after signing out, e.g. `${api}/staff/`. */
  postLogoutRedirectUris: readonly string[];
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 (the default) or localhost: never reachable from another machine. */
  host?: string;
}

export interface LocalOidcProvider {
  /** The issuer URL to discover, e.g. `http://127.0.0.1:54321`. */
  issuer: string;
  port: number;
  clientId: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const KEYS_DIR = 'oidc';
/** Cookie names of their own: cookies do not tell ports apart, and the console shares the host. */
const COOKIE_NAMES = { session: 'op_session', interaction: 'op_interaction', resume: 'op_resume' };
const LOGOUT_FORM_ID = 'op.logoutForm';
const MAX_FORM_BYTES = 8 * 1024;

const WORDING = {
  hint: '本地开发环境：演示账号和密码见 bangfu up 的启动输出。',
  wrongPassword: '邮箱或密码不正确，请重新输入。',
  expired: {
    status: 400,
    title: '登录页面已过期',
    message: '本次登录已过期或已在其他窗口完成。',
    hint: '请返回工作台重新登录。',
  },
  failed: {
    status: 500,
    title: '无法完成登录',
    message: '登录服务出现问题，请稍后再试。',
  },
  refused: {
    title: '无法完成登录',
    message: '登录请求无效或已过期。',
    hint: '请返回工作台重新登录。',
  },
  signedOut: { title: '已退出登录', message: '您已退出工作台。' },
};

export async function startLocalOidcProvider(options: LocalOidcProviderOptions): Promise<LocalOidcProvider> {
  const accounts = accountDirectory(options.accounts);
  const pages = createSignInPageRenderer();
  const [signingKey, cookieKey] = await Promise.all([
    localSigningKey(options.home),
    secretInHome(join(options.home, KEYS_DIR, 'cookie-key'), 32),
  ]);

  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK && host !== 'localhost')
    throw new RangeError(`the local sign-in provider listens on loopback only, not ${host}`);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) =>
      reject(
        new Error(`the local sign-in provider could not listen on ${host}:${options.port ?? 0}`, {
          cause: error,
        }),
      );
    server.once('error', failed);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}`;

  let provider: Provider;
  try {
    provider = new Provider(
      issuer,
      providerConfiguration(options, accounts, pages, { signingKey, cookieKey }),
    );
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  const providerHandler = provider.callback();
  const interactions = interactionRoutes(provider, accounts, pages);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interactions(req, res).catch((error: unknown) => {
        console.error('local sign-in page failed', error);
        if (!res.headersSent) send(res, pages.messagePage(WORDING.failed), WORDING.failed.status);
        else res.destroy();
      });
    } else {
      providerHandler(req, res);
    }
  });

  return {
    issuer,
    port,
    clientId: CONSOLE_CLIENT_ID,
    close: () => closeServer(server),
  };
}

/** The provider's settings: one public client, PKCE always, Cognito's claims, our own pages. */
function providerConfiguration(
  options: LocalOidcProviderOptions,
  accounts: AccountDirectory,
  pages: SignInPageRenderer,
  keys: { signingKey: JsonWebKey; cookieKey: string },
): Configuration {
  return {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: '卫健委工作台',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [...options.redirectUris],
        post_logout_redirect_uris: [...options.postLogoutRedirectUris],
        id_token_signed_response_alg: 'RS256',
      },
    ],
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: STAFF_SCOPES.split(' '),
    // Cognito puts `cognito:groups` in every ID token, whatever the scopes.
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub', GROUPS_CLAIM],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Cognito's ID token carries the user's claims in the code flow too; the console reads only it.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const account = accounts.bySubject.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name,
          [GROUPS_CLAIM]: staffGroups(account.commissionId, account.role),
        }),
      };
    },
    // The console is our own: staff are never asked to consent to it.
    loadExistingGrant: async (ctx) => {
      const { client, session, provider: op } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await op.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new op.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(STAFF_SCOPES);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => html(ctx, pages.signOutPage({ form, formId: LOGOUT_FORM_ID })),
        postLogoutSuccessSource: (ctx) => html(ctx, pages.messagePage({ status: 200, ...WORDING.signedOut })),
      },
    },
    renderError: (ctx) => html(ctx, pages.messagePage({ status: ctx.status, ...WORDING.refused })),
    clientBasedCORS: () => false,
    jwks: { keys: [keys.signingKey] },
    cookies: { keys: [keys.cookieKey], names: COOKIE_NAMES },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  };
}

interface AccountDirectory {
  bySubject: Map<string, StaffAccount>;
  byEmail: Map<string, StaffAccount & { subject: string }>;
}

function accountDirectory(list: readonly StaffAccount[]): AccountDirectory {
  const bySubject = new Map<string, StaffAccount>();
  const byEmail = new Map<string, StaffAccount & { subject: string }>();
  for (const account of list) {
    const email = normalEmail(account.email);
    if (byEmail.has(email)) throw new RangeError(`staff account ${account.email} is listed twice`);
    const subject = localSubject(email);
    bySubject.set(subject, account);
    byEmail.set(email, { ...account, subject });
  }
  return { bySubject, byEmail };
}

const normalEmail = (email: string) => email.trim().toLowerCase();

/** A stable, opaque subject per email, shaped like Cognito's (a UUID), so nothing keys on the email. */
export function localSubject(email: string): string {
  const hex = createHash('sha256')
    .update(`bangfu-local-staff:${normalEmail(email)}`)
    .digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '-',
  );
}

function samePassword(typed: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(typed), digest(expected));
}

/**
 * The sign-in pages: GET /interaction/:uid shows the form, POST /interaction/:uid/login checks the
 * password and hands the account back to the provider, which continues the authorization request.
 */
function interactionRoutes(provider: Provider, accounts: AccountDirectory, pages: SignInPageRenderer) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    const isForm = match && !match[2] && req.method === 'GET';
    const isLogin = match?.[2] && req.method === 'POST';
    if (!match || !(isForm || isLogin)) {
      send(res, pages.messagePage({ status: 404, ...WORDING.refused }), 404);
      return;
    }
    res.setHeader('cache-control', 'no-store');

    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        send(res, pages.messagePage(WORDING.expired), WORDING.expired.status);
        return;
      }
      throw error;
    }
    if (details.uid !== match[1] || details.prompt.name !== 'login') {
      send(res, pages.messagePage(WORDING.expired), WORDING.expired.status);
      return;
    }
    const action = `/interaction/${details.uid}/login`;

    if (isForm) {
      send(res, pages.signInPage({ action, hint: WORDING.hint }), 200);
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const email = form.get('email') ?? '';
    const account = accounts.byEmail.get(normalEmail(email));
    // One message for an unknown email and a wrong password: the page does not confirm who has an account.
    if (!account || !samePassword(form.get('password') ?? '', account.password)) {
      send(res, pages.signInPage({ action, email, error: WORDING.wrongPassword, hint: WORDING.hint }), 200);
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.subject, amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new RangeError('sign-in form too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function html(ctx: KoaContextWithOIDC, body: string): void {
  ctx.type = 'html';
  ctx.body = body;
}

function send(res: ServerResponse, body: string, status: MessagePageView['status']): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/** The RS256 key that signs ID tokens (Cognito signs with RS256 too), made once per home. */
async function localSigningKey(home: string): Promise<JsonWebKey> {
  return jsonInHome(join(home, KEYS_DIR, 'signing-key.jwk.json'), async () => {
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const kid = createHash('sha256').update(`${jwk.e}.${jwk.n}`).digest('base64url').slice(0, 16);
    return { ...jwk, kid, alg: 'RS256', use: 'sig' };
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
