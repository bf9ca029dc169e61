/**
 * The console's pages, behind the staff guard: every route here finds the signed-in staff member in
 * `c.get('staff')` and the token for its forms in `c.get('csrfToken')`. Paths come from
 * console-paths.ts, so links and routes cannot drift apart. Jurisdiction and role are checked in the
 * use cases; this layer maps their refusals to pages (403 outside one's jurisdiction or role).
 *
 *   GET  /staff/                                   the first programme's overview
 *   GET  /staff/programmes/:id                     overview: timeline, completeness by city
 *   GET  /staff/programmes/:id/pairings[.xlsx]     the filtered list, or the same as Excel
 *   GET  /staff/programmes/:id/documents           stored documents; POST generates one
 *   GET  /staff/pairings/:pairingId                a pairing's page
 *   GET  /staff/pairings/:pairingId/submissions/:s a submitted version (redirect to a short download)
 *   POST /staff/obligations/:obligationId/actions  accept, return, extend, exempt, unexempt
 *   GET  /staff/programmes/:id/forwardings/:kind/:year           the reporting chain: a city
 *        commission's own forwarding, or the province's page of every city's (Fujian §三(一)–(二))
 *   POST /staff/programmes/:id/forwardings/:kind/:year/forward   a city forwards (multipart: its PDF)
 *   POST /staff/programmes/:id/forwardings/:kind/:year/:commission/review   accept or return
 *   GET  /staff/documents                          every generated document (the older list)
 *   POST /staff/clock                              move the simulated date forward (local stack only)
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import chainWords from '../../../templates/chain.zh.json' with { type: 'json' };
import words from '../../../templates/console.zh.json' with { type: 'json' };
import actionWords from '../../../templates/staff-actions.zh.json' with { type: 'json' };
import { UserFacingError } from '../../domain/errors.ts';
import { isPlainDate } from '../../domain/plain-date.ts';
import type { StaffIdentity } from '../../domain/staff.ts';
import { mayDo, StaffForbiddenError } from '../../domain/staff.ts';
import type { ActionRequest } from '../../domain/staff-actions.ts';
import { fill } from '../../domain/wording.ts';
import { prcCalendar } from '../../domain/working-days.ts';
import { type ForwardingPageView, forwardingLinks, forwardingPage } from '../../use-cases/console-chain.ts';
import { consoleDocumentRequest, consoleDocuments } from '../../use-cases/console-documents.ts';
import { programmeOverview } from '../../use-cases/console-overview.ts';
import { pairingDetail, submissionDownloadUrl } from '../../use-cases/console-pairing.ts';
import { pairingList, parsePairingFilters } from '../../use-cases/console-pairings.ts';
import { consoleContext } from '../../use-cases/console-scope.ts';
import { removeContact, updateContact } from '../../use-cases/contact-actions.ts';
import { generateDocument, listDocuments } from '../../use-cases/documents.ts';
import {
  acceptForwarding,
  type ForwardingDocumentInput,
  ForwardingRefusedError,
  forward,
  RETURN_NOTICE_PROBLEMS,
  type ReturnNoticeOutcome,
  returnForwarding,
  returnNoticeLine,
  returnNoticeOutcome,
  UnknownForwardingError,
} from '../../use-cases/forwarding-actions.ts';
import { revokePairingLinks } from '../../use-cases/link-actions.ts';
import { type ClockMove, moveSimulatedClock } from '../../use-cases/move-simulated-clock.ts';
import { actOnObligation } from '../../use-cases/obligation-actions.ts';
import { createConsolePageRenderer } from '../console-pages.ts';
import { consolePaths } from '../console-paths.ts';
import { pairingListFilename, pairingListWorkbook, XLSX_CONTENT_TYPE } from '../console-workbook.ts';
import type { ApiParts, RouteDeps, WebEnv } from './context.ts';
import { messagePage, page, seeOther } from './responses.ts';

const STATUS: Record<string, number> = {
  'staff-forbidden': 403,
  'unknown-programme': 404,
  'unknown-pairing': 404,
  'unknown-submission': 404,
  'unknown-forwarding': 404,
  'action-refused': 409,
  'forwarding-refused': 409,
  'concurrent-change': 409,
};

export function staffConsoleRoutes(parts: ApiParts, deps: RouteDeps): Hono<WebEnv> {
  const { pages } = deps;
  const routes = new Hono<WebEnv>();
  const console = parts.console;
  routes.get('/staff/documents', async (c) =>
    page(c, 200, pages.documentsPage(await listDocuments(parts.documents))),
  );
  routes.get('/staff', (c) => seeOther(c, '/staff/'));
  if (!console) {
    routes.get('/staff/', (c) => seeOther(c, '/staff/documents'));
    return routes;
  }
  const consolePages = createConsolePageRenderer();
  const now = () => console.clock();
  const control = console.clockControl;
  const frameOf = async (c: Context<WebEnv>, notice?: string) => {
    const simulated = control?.simulatedNow();
    return {
      context: await consoleContext({ store: console.store }, c.get('staff')),
      csrfToken: c.get('csrfToken'),
      ...(notice ? { notice } : {}),
      ...(simulated
        ? {
            simulatedClock: {
              now: simulated,
              movable: mayDo(c.get('staff'), 'move-clock'),
              back: new URL(c.req.url).pathname,
            },
          }
        : {}),
    };
  };
  /** A user-facing refusal as its page; anything else goes to the app's error page. */
  const refused = (c: Context<WebEnv>, error: unknown) => {
    if (!(error instanceof UserFacingError)) throw error;
    const status = STATUS[error.code] ?? 400;
    const forbidden = error instanceof StaffForbiddenError;
    return messagePage(c, pages, {
      status,
      title: forbidden ? words.refusal.forbiddenTitle : words.refusal.title,
      message: error.message,
      hint: words.refusal.hint,
    });
  };
  const guarded =
    (handler: (c: Context<WebEnv>, staff: StaffIdentity) => Promise<Response>) =>
    async (c: Context<WebEnv>) => {
      try {
        return await handler(c, c.get('staff'));
      } catch (error) {
        return refused(c, error);
      }
    };

  routes.get(
    '/staff/',
    guarded(async (c) => {
      const frame = await frameOf(c);
      const first = frame.context.programmes[0];
      return first ? seeOther(c, consolePaths.overview(first.id)) : seeOther(c, '/staff/documents');
    }),
  );
  routes.get(
    '/staff/programmes/:id',
    guarded(async (c, staff) => {
      const view = await programmeOverview({ store: console.store }, staff, param(c, 'id'), now());
      const programme = (await console.store.listProgrammes()).find((p) => p.id === view.programme.id);
      const chain = programme ? await forwardingLinks({ store: console.store }, staff, programme) : [];
      return page(c, 200, consolePages.overviewPage(await frameOf(c), view, chain));
    }),
  );
  routes.get(
    '/staff/programmes/:id/pairings',
    guarded(async (c, staff) => {
      const filters = parsePairingFilters(c.req.query());
      const view = await pairingList({ store: console.store }, staff, param(c, 'id'), filters, now());
      return page(c, 200, consolePages.pairingListPage(await frameOf(c), view));
    }),
  );
  routes.get(
    '/staff/programmes/:id/pairings.xlsx',
    guarded(async (c, staff) => {
      const filters = parsePairingFilters(c.req.query());
      const view = await pairingList({ store: console.store }, staff, param(c, 'id'), filters, now());
      const frame = await frameOf(c);
      const workbook = await pairingListWorkbook(view, frame.context.staff);
      const filename = pairingListFilename(view);
      return c.body(new Uint8Array(workbook), 200, {
        'content-type': XLSX_CONTENT_TYPE,
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
    }),
  );
  routes.get(
    '/staff/programmes/:id/documents',
    guarded(async (c, staff) => {
      const view = await consoleDocuments(
        { store: console.store, documents: parts.documents },
        staff,
        param(c, 'id'),
        now(),
      );
      return page(c, 200, consolePages.documentsPage(await frameOf(c), view));
    }),
  );
  routes.post(
    '/staff/programmes/:id/documents',
    guarded(async (c, staff) => {
      const text = await formFields(c);
      const at = now();
      const request = await consoleDocumentRequest(
        { store: console.store },
        staff,
        param(c, 'id'),
        {
          ...(text('type') ? { type: text('type') } : {}),
          ...(text('year') ? { year: text('year') } : {}),
          ...(text('pairingId') ? { pairingId: text('pairingId') } : {}),
        } as never,
        at,
      );
      const document = await generateDocument({ ...parts.documents, renderers: console.renderers }, request);
      const ticket = await parts.documents.tickets.issue({
        documentId: document.id,
        expiresAt: new Date(at.getTime() + 60 * 60_000),
      });
      return seeOther(c, `/d/${ticket}`);
    }),
  );
  routes.get(
    '/staff/pairings/:pairingId',
    guarded(async (c, staff) => {
      const view = await pairingDetail({ store: console.store }, staff, param(c, 'pairingId'), now());
      const notice = noticeOf(c.req.query());
      return page(c, 200, consolePages.pairingPage(await frameOf(c, notice), view));
    }),
  );
  routes.get(
    '/staff/pairings/:pairingId/submissions/:submissionId',
    guarded(async (c, staff) => {
      const url = await submissionDownloadUrl(
        { store: console.store, files: console.submissionFiles, settings: { presignedGetSeconds: 300 } },
        staff,
        param(c, 'pairingId'),
        param(c, 'submissionId'),
      );
      return c.body(null, 302, {
        location: url,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
    }),
  );
  routes.post(
    '/staff/obligations/:obligationId/actions',
    guarded(async (c, staff) => {
      const obligationId = param(c, 'obligationId');
      const text = await formFields(c);
      const action = text('action');
      const request = actionRequestOf(action, text('reason'), text('to'));
      if (!request) {
        return messagePage(c, pages, {
          status: 400,
          title: words.refusal.title,
          message: words.refusal.unknownAction,
          hint: words.refusal.hint,
        });
      }
      const result = await actOnObligation(console.actions(), staff, obligationId, request);
      const { obligation } = result.obligation;
      const back = `${consolePaths.pairing(obligation.pairingId)}?done=${encodeURIComponent(action)}&o=${encodeURIComponent(`${obligation.year}`)}#actions`;
      return seeOther(c, back);
    }),
  );
  /** The chain page's address, and its year (a path segment that is not a year names no forwarding). */
  const chainOf = (c: Context<WebEnv>) => {
    const year = Number(param(c, 'year'));
    const ref = { programmeId: param(c, 'id'), kind: param(c, 'kind'), year };
    if (!Number.isInteger(year)) {
      throw new UnknownForwardingError(
        fill(chainWords.refused.unknownForwarding, { commission: ref.programmeId, kind: ref.kind, year: '' }),
      );
    }
    return { ref, path: consolePaths.forwarding(ref.programmeId, ref.kind, year) };
  };
  routes.get(
    '/staff/programmes/:id/forwardings/:kind/:year',
    guarded(async (c, staff) => {
      const { ref } = chainOf(c);
      const view = await forwardingPage(
        { store: console.store },
        staff,
        ref.programmeId,
        ref.kind,
        ref.year,
        now(),
      );
      const notice = chainNoticeOf(c.req.query(), view);
      return page(c, 200, consolePages.forwardingPage(await frameOf(c, notice), view));
    }),
  );
  routes.post(
    '/staff/programmes/:id/forwardings/:kind/:year/forward',
    guarded(async (c, staff) => {
      const { ref, path } = chainOf(c);
      const form = await c.req.parseBody();
      if (form.confirm !== 'yes') throw new ForwardingRefusedError(chainWords.refused.confirmRequired);
      let document: ForwardingDocumentInput = { source: 'generated' };
      if (form.document === 'upload') {
        const file = form.file;
        if (!(file instanceof File) || file.size === 0) {
          throw new ForwardingRefusedError(chainWords.refused.documentRequired);
        }
        document = {
          source: 'uploaded',
          bytes: new Uint8Array(await file.arrayBuffer()),
          filename: file.name,
        };
      }
      await forward(console.forwardings(), staff, ref, document);
      return seeOther(c, `${path}?done=forward`);
    }),
  );
  routes.post(
    '/staff/programmes/:id/forwardings/:kind/:year/:commission/review',
    guarded(async (c, staff) => {
      const { ref, path } = chainOf(c);
      const text = await formFields(c);
      const review = { ...ref, commissionId: param(c, 'commission'), reason: text('reason') };
      const action = text('action');
      if (action === 'accept') {
        await acceptForwarding(console.forwardings(), staff, review);
        return seeOther(c, `${path}?done=accept`);
      }
      if (action === 'return') {
        const { notice } = await returnForwarding(console.forwardings(), staff, review);
        const outcome = notice ? returnNoticeOutcome(notice) : undefined;
        const mail = outcome
          ? `&commission=${encodeURIComponent(review.commissionId)}&${mailQuery(outcome)}`
          : '';
        return seeOther(c, `${path}?done=return${mail}`);
      }
      return messagePage(c, pages, {
        status: 400,
        title: words.refusal.title,
        message: words.refusal.unknownAction,
        hint: words.refusal.hint,
      });
    }),
  );
  if (control) {
    routes.post(
      consolePaths.simulatedClock,
      guarded(async (c, staff) => {
        const text = await formFields(c);
        const move = clockMoveOf(text('move'), text('date'));
        if (!move) {
          return messagePage(c, pages, {
            status: 400,
            title: words.refusal.title,
            message: text('move') === 'date' ? words.simulatedClock.badDate : words.refusal.unknownAction,
            hint: words.refusal.hint,
          });
        }
        await moveSimulatedClock({ store: console.store, control, calendar: prcCalendar }, staff, move);
        const back = text('back');
        return seeOther(c, back.startsWith('/staff/') ? back : consolePaths.home);
      }),
    );
  }
  const backTo = (pairingId: string, notice: string) =>
    `${consolePaths.pairing(pairingId)}?notice=${encodeURIComponent(notice)}#contacts`;
  routes.post(
    '/staff/contacts/update',
    guarded(async (c, staff) => {
      const text = await formFields(c);
      await updateContact(
        { store: console.store, clock: console.clock },
        staff,
        { institution: text('institution'), email: text('email') },
        {
          ...(text('name') ? { name: text('name') } : {}),
          ...(text('role') ? { role: text('role') } : {}),
          ...(text('newEmail') ? { email: text('newEmail') } : {}),
          phone: text('phone'),
          ...(text('reason') ? { reason: text('reason') } : {}),
        },
      );
      return seeOther(c, backTo(text('back'), 'updated'));
    }),
  );
  routes.post(
    '/staff/contacts/remove',
    guarded(async (c, staff) => {
      const text = await formFields(c);
      await removeContact(
        { store: console.store, clock: console.clock },
        staff,
        { institution: text('institution'), email: text('email') },
        text('reason') ? { reason: text('reason') } : {},
      );
      return seeOther(c, backTo(text('back'), 'removed'));
    }),
  );
  routes.post(
    '/staff/pairings/:pairingId/links/revoke',
    guarded(async (c, staff) => {
      const reason = (await formFields(c))('reason');
      const pairingId = param(c, 'pairingId');
      const { revoked } = await revokePairingLinks(
        { store: console.store, clock: console.clock },
        staff,
        pairingId,
        undefined,
        reason ? { reason } : {},
      );
      return seeOther(c, `${consolePaths.pairing(pairingId)}?revoked=${revoked}#links`);
    }),
  );
  return routes;
}

/** A posted form's text fields, trimmed; '' for one left out (or a file). */
async function formFields(c: Context<WebEnv>): Promise<(name: string) => string> {
  const form = await c.req.parseBody();
  return (name) => {
    const value = form[name];
    return typeof value === 'string' ? value.trim() : '';
  };
}

/** A path parameter of the route (present whenever the route matched). */
const param = (c: Context<WebEnv>, name: string): string => c.req.param(name) ?? '';

/** The one-line notice a redirect after an action asks the page to show. */
function noticeOf(query: Record<string, string>): string | undefined {
  const { done, o, notice, revoked } = query;
  if (done && done in actionWords.actions) {
    const action = actionWords.actions[done as ActionRequest['action']];
    return fill(words.actionsSection.done, { action, obligation: o ?? '' });
  }
  if (notice === 'updated') return words.contactActions.updated;
  if (notice === 'removed') return words.contactActions.removed;
  if (revoked && /^\d+$/.test(revoked)) return fill(words.contactActions.revoked, { n: revoked });
  return undefined;
}

/** A return's notice outcome as the redirect's query: `mailed=<n>` or `unsent=<problem>`. */
const mailQuery = (outcome: ReturnNoticeOutcome) =>
  'mailed' in outcome ? `mailed=${outcome.mailed}` : `unsent=${outcome.unsent}`;

/** The query's notice outcome, when it names one: a count, or one of the known problems (no free text). */
function mailOutcomeOf({ mailed, unsent }: Record<string, string>): ReturnNoticeOutcome | undefined {
  if (mailed && /^\d+$/.test(mailed)) return { mailed: Number(mailed) };
  const problem = RETURN_NOTICE_PROBLEMS.find((p) => p === unsent);
  return problem ? { unsent: problem } : undefined;
}

/**
 * The notice after a forwarding or its review; after a return, also whether the city commission was
 * emailed (the commission's name from the province's page, so the address carries only its id).
 */
function chainNoticeOf(query: Record<string, string>, view: ForwardingPageView): string | undefined {
  const { done } = query;
  if (done === 'forward') return chainWords.city.done;
  if (done !== 'accept' && done !== 'return') return undefined;
  const notice = fill(chainWords.province.done, { action: chainWords.province[done] });
  const outcome = done === 'return' ? mailOutcomeOf(query) : undefined;
  if (!outcome) return notice;
  const commissionId = query.commission ?? '';
  const commission =
    (view.role === 'province'
      ? view.commissions.find((r) => r.commissionId === commissionId)?.commission
      : undefined) ?? commissionId;
  return `${notice}${returnNoticeLine(commission, outcome)}`;
}

function clockMoveOf(move: string, date: string): ClockMove | undefined {
  if (move === 'next-day' || move === 'next-stage') return { move };
  if (move === 'date' && isPlainDate(date)) return { move, date };
  return undefined;
}

function actionRequestOf(action: string, reason: string, to: string): ActionRequest | undefined {
  switch (action) {
    case 'accept':
      return { action, ...(reason ? { reason } : {}) };
    case 'return':
    case 'exempt':
    case 'unexempt':
      return { action, reason };
    case 'extend':
      return { action, to, reason };
    default:
      return undefined;
  }
}
