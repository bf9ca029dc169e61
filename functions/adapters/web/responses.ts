/**
 * How the API answers: pages with the headers every page carries, JSON for the upload page's script,
 * and the pages of the error-to-page table (error-pages.ts).
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

const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

/** A page, with the headers every page carries. */
export function page(c: Context, status: number, html: string): Response {
  return c.body(html, status as 200, { ...PAGE_HEADERS });
}

export function messagePage(c: Context, pages: PageRenderer, view: MessagePageView): Response {
  return page(c, view.status, pages.messagePage(view));
}

export function json(c: Context, status: number, body: object): Response {
  return c.body(JSON.stringify(body), status as 200, { ...JSON_HEADERS });
}
