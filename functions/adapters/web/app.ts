/**
 * The API as one Hono app: upload pages (`/u/…`), downloads (`/d/…`), staff sign-in (`/staff/auth/…`)
 * and the console (`/staff/…`, behind the staff guard). Errors map to pages a person can act on, in
 * one place (error-pages.ts); never a stack trace. Log entries are masked before they are written.
 */
import { Hono } from 'hono';
import { LinkError } from '../../domain/links.ts';
import { UploadRequestError } from '../../use-cases/upload-slots.ts';
import { redactPath, redactText } from '../log-entries.ts';
import type { ApiParts, RouteDeps, WebEnv } from './context.ts';
import { downloadRoutes } from './download-routes.ts';
import { LINK_PAGES, NOT_FOUND, SERVER_ERROR, SIGN_IN_ERROR, SIGN_IN_NOT_CONFIGURED } from './error-pages.ts';
import { json, messagePage } from './responses.ts';
import { staffAuthRoutes } from './staff-auth-routes.ts';
import { staffConsoleRoutes } from './staff-console.ts';
import { staffGuard } from './staff-guard.ts';
import { STAFF_AUTH_PREFIX } from './staff-paths.ts';
import { uploadRoutes } from './upload-routes.ts';

/** The upload page's script reads JSON from the slot endpoints, errors included. */
const wantsJson = (path: string) => /\/slots(\/|$)/.test(path);

export function createWebApp(parts: ApiParts, deps: RouteDeps): Hono<WebEnv> {
  const { pages, log } = deps;
  const app = new Hono<WebEnv>();

  app.route('/d', downloadRoutes(parts, deps));
  app.route('/u', uploadRoutes(parts, deps));
  if (parts.staff) {
    app.use('/staff/*', staffGuard(parts.staff, deps));
    app.route('/staff/auth', staffAuthRoutes(parts.staff, deps));
    app.route('/', staffConsoleRoutes(parts, deps));
  } else {
    app.all('/staff/*', (c) => messagePage(c, pages, SIGN_IN_NOT_CONFIGURED));
  }

  app.notFound((c) => messagePage(c, pages, NOT_FOUND));
  app.onError((error, c) => {
    const path = c.req.path;
    if (error instanceof LinkError) {
      const view = LINK_PAGES[error.code];
      log({ level: 'info', message: 'link refused', code: error.code, path: redactPath(path) });
      return wantsJson(path)
        ? json(c, view.status, { message: `${view.title}：${view.message}` })
        : messagePage(c, pages, view);
    }
    if (error instanceof UploadRequestError) {
      return json(c, error.status, {
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
      });
    }
    log({
      level: 'error',
      message: 'request failed',
      path: redactPath(path),
      error: redactText(String(error.stack ?? error)),
    });
    if (wantsJson(path)) return json(c, 500, { message: SERVER_ERROR.message });
    return messagePage(c, pages, path.startsWith(STAFF_AUTH_PREFIX) ? SIGN_IN_ERROR : SERVER_ERROR);
  });
  return app;
}
