/**
 * The console's pages, behind the staff guard: every route here finds the signed-in staff member in
 * `c.get('staff')` and the token for its forms in `c.get('csrfToken')`. Paths are written out whole
 * (the app mounts this at `/`): `/staff/` is where the provider sends people after signing out.
 *
 *   GET /staff/            the console's home (for now, the document list)
 *   GET /staff/documents   every generated document
 */
import { Hono } from 'hono';
import { listDocuments } from '../../use-cases/documents.ts';
import type { ApiParts, RouteDeps, WebEnv } from './context.ts';
import { page, seeOther } from './responses.ts';

export function staffConsoleRoutes(parts: Pick<ApiParts, 'documents'>, { pages }: RouteDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  routes.get('/staff/documents', async (c) =>
    page(c, 200, pages.documentsPage(await listDocuments(parts.documents))),
  );
  routes.get('/staff/', (c) => seeOther(c, '/staff/documents'));
  routes.get('/staff', (c) => seeOther(c, '/staff/'));
  return routes;
}
