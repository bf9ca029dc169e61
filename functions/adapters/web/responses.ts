/**
 * How the API answers: pages with the headers every page carries, JSON for the upload page's script,
 * redirects that keep nothing in caches, and the pages of the error-to-page table (error-pages.ts).
 */
import type { Context } from 'hono';
import type { MessagePageView } from '../../domain/upload.ts';
import type { PageRenderer } from '../page-renderer.ts';

/**
 * Every page: personal (the link is a credential, the history names people), so never cached; no
 * Referer, which would carry the ticket to S3's access log when the form posts there; never framed, so
 * no other site can overlay the upload form.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
};

/**
 * The console's pages: the same, but Referer only to the console itself. Under `no-referrer` a
 * browser sends `Origin: null` with every form post (Fetch standard, "append a request Origin
 * header"), and the console's CSRF check needs the real origin. Its addresses carry no ticket.
 */
export const STAFF_PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...PAGE_HEADERS,
  'referrer-policy': 'same-origin',
};

const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

export const isStaffPath = (path: string) => path === '/staff' || path.startsWith('/staff/');

/** A page with the headers of its part of the site. */
export function page(c: Context, status: number, html: string): Response {
  const headers = isStaffPath(c.req.path) ? STAFF_PAGE_HEADERS : PAGE_HEADERS;
  return c.body(html, status as 200, { ...headers });
}

export function messagePage(c: Context, pages: PageRenderer, view: MessagePageView): Response {
  return page(c, view.status, pages.messagePage(view));
}

export function json(c: Context, status: number, body: object): Response {
  return c.body(JSON.stringify(body), status as 200, { ...JSON_HEADERS });
}

/** 303 See Other: the browser follows with a GET, keeps no copy, and sends no Referer on. */
export function seeOther(c: Context, location: string): Response {
  return c.body(null, 303, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
}
