/**
 * The upload pages a personal link opens, and the endpoints its script calls:
 *
 *   GET  /u/{token}                    the upload page
 *   POST /u/{token}/slots              a presigned POST for one file (JSON)
 *   GET  /u/{token}/received?slot=…    where S3 sends the browser after the upload
 *   GET  /u/{token}/slots/{slotId}     the check's outcome (JSON, polled by that page)
 *
 * The signed ticket in the path is the credential; a refused one becomes a page (or JSON for the
 * script) in the app's error handler.
 */
import { Hono } from 'hono';
import { pagePath, resolveLink } from '../../use-cases/personal-links.ts';
import { uploadPageView } from '../../use-cases/upload-page.ts';
import { requestUploadSlot, UploadRequestError, uploadSlotStatus } from '../../use-cases/upload-slots.ts';
import type { ApiParts, RouteDeps, WebEnv } from './context.ts';
import { json, page } from './responses.ts';

/** The characters a ticket and a slot id are made of; any other address under /u/ is not found. */
const TOKEN = ':token{[\\w.-]+}';
const SLOT = ':slotId{[\\w-]+}';

export function uploadRoutes(parts: Pick<ApiParts, 'uploads'>, { pages }: RouteDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get(`/${TOKEN}`, async (c) =>
    page(c, 200, pages.uploadPage(await uploadPageView(parts.uploads, c.req.param('token')))),
  );

  routes.post(`/${TOKEN}/slots`, async (c) => {
    const body = parseJson(await c.req.text());
    return json(c, 200, await requestUploadSlot(parts.uploads, c.req.param('token'), body));
  });

  routes.get(`/${TOKEN}/received`, async (c) => {
    const token = c.req.param('token');
    const link = await resolveLink(parts.uploads, token);
    const slot = c.req.query('slot') ?? '';
    return page(
      c,
      200,
      pages.receivedPage({
        pagePath: pagePath(token),
        statusPath: `${pagePath(token)}/slots/${encodeURIComponent(slot)}`,
        obligationTitle: link.rule.title,
        year: link.obligation.year,
        institution: link.institution.name,
      }),
    );
  });

  routes.get(`/${TOKEN}/slots/${SLOT}`, async (c) =>
    json(c, 200, await uploadSlotStatus(parts.uploads, c.req.param('token'), c.req.param('slotId'))),
  );

  return routes;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new UploadRequestError(400, '请求格式有误，请刷新页面后重试。');
  }
}
