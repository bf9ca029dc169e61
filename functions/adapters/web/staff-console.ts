/**
 * The staff pages: `GET /staff/documents`, every generated document.
 *
 * Staff routes sit behind an authorizer: Cognito's JWT authorizer on AWS, the local host's login
 * locally. Both leave the verified claims in the request context; without them, nothing is shown.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Context, Hono } from 'hono';
import { listDocuments } from '../../use-cases/documents.ts';
import type { ApiParts, RouteDeps, WebEnv } from './context.ts';
import { UNAUTHENTICATED } from './error-pages.ts';
import { messagePage, page } from './responses.ts';

export function staffConsoleRoutes(parts: Pick<ApiParts, 'documents'>, { pages }: RouteDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  routes.get('/staff/documents', async (c) => {
    if (!isStaff(c)) return messagePage(c, pages, UNAUTHENTICATED);
    return page(c, 200, pages.documentsPage(await listDocuments(parts.documents)));
  });
  return routes;
}

/** The API Gateway event hono's Lambda adapter hands the app. */
function isStaff(c: Context): boolean {
  const event = (c.env as { event?: APIGatewayProxyEventV2 } | undefined)?.event;
  const context = event?.requestContext as
    | (APIGatewayProxyEventV2['requestContext'] & {
        authorizer?: { jwt?: { claims?: Record<string, unknown> } };
      })
    | undefined;
  return Boolean(context?.authorizer?.jwt?.claims?.sub);
}
