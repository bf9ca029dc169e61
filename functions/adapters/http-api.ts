/**
 * The API behind API Gateway (HTTP API, payload 2.0); locally the same function is served by
 * `bangfu up`. The routes are a Hono app (web/app.ts), run on API Gateway's events by hono's Lambda
 * adapter: request cookies arrive in the event's `cookies`, and every Set-Cookie leaves in the
 * result's `cookies`.
 *
 *   GET  /u/{token}                    the upload page
 *   POST /u/{token}/slots              a presigned POST for one file (JSON)
 *   GET  /u/{token}/received?slot=…    where S3 sends the browser after the upload
 *   GET  /u/{token}/slots/{slotId}     the check's outcome (JSON, polled by that page)
 *   GET  /d/{token}                    a generated PDF: redirect to a presigned GET of minutes
 *   GET  /staff/auth/sign-in           staff sign-in (OpenID Connect with PKCE; Cognito on AWS)
 *   GET  /staff/auth/callback          where the identity provider sends the browser back
 *   POST /staff/auth/sign-out          ends the session and the provider's
 *   *    /staff/…                      the console, for a signed-in staff member only
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import type { LogEntry } from './log-entries.ts';
import { createPageRenderer } from './page-renderer.ts';
import { createWebApp } from './web/app.ts';
import type { ApiParts } from './web/context.ts';

export type { ApiParts, OnSignIn, StaffAccess, WebEnv } from './web/context.ts';

export type HttpApi = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The API as one function of an HTTP API request. `log` takes each entry, already masked: the deployed
 * function's Powertools logger, a test's list; by default a JSON line on standard output (`bangfu up`).
 */
export function createApi(parts: ApiParts, log: (entry: LogEntry) => void = defaultLog): HttpApi {
  const app = createWebApp(parts, { pages: createPageRenderer(), log });
  const lambda = handle(app);
  // The same event: @types/aws-lambda types an absent body as undefined, hono's own types as null.
  return async (event) =>
    (await lambda(event as unknown as LambdaEvent)) as APIGatewayProxyStructuredResultV2;
}

function defaultLog(entry: LogEntry): void {
  console.log(JSON.stringify(entry));
}
