/**
 * `GET /d/{token}`: a generated PDF, as a redirect to a presigned GET of minutes. The signed ticket in
 * the path is the credential; an expired or changed one gets a page of its own.
 */
import { Hono } from 'hono';
import { LinkError } from '../../domain/links.ts';
import type { MessagePageView } from '../../domain/upload.ts';
import { downloadUrl, UnknownDocumentError } from '../../use-cases/documents.ts';
import type { ApiParts, RouteDeps, WebEnv } from './context.ts';
import { DOWNLOAD_PAGES, NOT_FOUND } from './error-pages.ts';
import { messagePage } from './responses.ts';

export function downloadRoutes(parts: Pick<ApiParts, 'documents'>, { pages }: RouteDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  routes.get('/:token{[\\w.-]+}', async (c) => {
    try {
      const url = await downloadUrl(parts.documents, c.req.param('token'));
      return c.body(null, 302, {
        location: url,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
    } catch (error) {
      if (error instanceof LinkError && DOWNLOAD_PAGES[error.code])
        return messagePage(c, pages, DOWNLOAD_PAGES[error.code] as MessagePageView);
      if (error instanceof UnknownDocumentError) return messagePage(c, pages, NOT_FOUND);
      throw error;
    }
  });
  return routes;
}
