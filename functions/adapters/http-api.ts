/**
 * The upload endpoints behind API Gateway (HTTP API, payload 2.0); locally the same function is
 * served by `bangfu up`. Errors map to pages a person can act on, in one table; never a stack trace.
 *
 *   GET  /u/{token}                    the upload page
 *   POST /u/{token}/slots              a presigned POST for one file (JSON)
 *   GET  /u/{token}/received?slot=…    where S3 sends the browser after the upload
 *   GET  /u/{token}/slots/{slotId}     the check's outcome (JSON, polled by that page)
 *   GET  /d/{token}                    a generated PDF: redirect to a presigned GET of minutes
 *   GET  /staff/documents              every generated document (behind Cognito on AWS)
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LinkError } from '../domain/links.ts';
import type { MessagePageView } from '../domain/upload.ts';
import {
  type DocumentPorts,
  downloadUrl,
  listDocuments,
  UnknownDocumentError,
} from '../use-cases/documents.ts';
import { pagePath, resolveLink, type UploadPorts } from '../use-cases/personal-links.ts';
import { uploadPageView } from '../use-cases/upload-page.ts';
import { requestUploadSlot, UploadRequestError, uploadSlotStatus } from '../use-cases/upload-slots.ts';
import { type LogEntry, redactPath, redactText } from './log-entries.ts';
import { createPageRenderer } from './page-renderer.ts';

type Response = APIGatewayProxyStructuredResultV2;

const LINK_PAGES: Record<LinkError['code'], MessagePageView> = {
  malformed: {
    status: 400,
    title: '链接无效',
    message: '您打开的上传链接不完整或格式有误。',
    hint: '请从提醒邮件中完整复制链接后重新打开；如仍无法打开，请联系本单位联络员。',
  },
  tampered: {
    status: 403,
    title: '链接无效',
    message: '您打开的上传链接未通过校验，可能已被修改。',
    hint: '请直接点击提醒邮件中的链接；如仍无法打开，请联系省卫生健康委重新获取。',
  },
  expired: {
    status: 410,
    title: '链接已过期',
    message: '该上传链接已超过有效期（截止日期后的宽限期已结束）。',
    hint: '如仍需提交材料，请联系本级卫生健康行政部门。',
  },
  revoked: {
    status: 410,
    title: '链接已失效',
    message: '该上传链接已被撤销，不能再使用。',
    hint: '请使用最新一封提醒邮件中的链接；如未收到，请联系本级卫生健康行政部门。',
  },
  unknown: {
    status: 404,
    title: '找不到对应事项',
    message: '该链接对应的帮扶事项不存在或已调整。',
    hint: '请联系本级卫生健康行政部门确认。',
  },
};

const SERVER_ERROR: MessagePageView = {
  status: 500,
  title: '系统暂时无法处理',
  message: '服务器处理您的请求时出现问题，您的文件未被提交。',
  hint: '请稍后重试；如多次出现，请联系本级卫生健康行政部门。',
};

const UNAUTHENTICATED: MessagePageView = {
  status: 401,
  title: '请先登录',
  message: '该页面仅供卫生健康行政部门工作人员使用。',
  hint: '请通过工作台登录后访问。',
};

/**
 * Staff routes sit behind an authorizer: Cognito's JWT authorizer on AWS, the local host's login
 * locally. Both leave the verified claims in the request context; without them, nothing is shown.
 */
function isStaff(event: APIGatewayProxyEventV2): boolean {
  const context = event.requestContext as APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown> } };
  };
  return Boolean(context.authorizer?.jwt?.claims?.sub);
}

const NOT_FOUND: MessagePageView = { status: 404, title: '页面不存在', message: '您访问的页面不存在。' };

const DOWNLOAD_PAGES: Partial<Record<LinkError['code'], MessagePageView>> = {
  expired: {
    status: 410,
    title: '下载链接已过期',
    message: '该文档的下载链接已超过有效期。',
    hint: '请登录工作台重新下载，或联系系统管理员重新发送。',
  },
  tampered: {
    status: 403,
    title: '下载链接无效',
    message: '该下载链接未通过校验，可能已被修改。',
    hint: '请直接点击通知邮件中的链接。',
  },
};

/**
 * Every page: personal (the link is a credential, the history names people), so never cached; no
 * Referer, which would carry the ticket to S3's access log when the form posts there; never framed, so
 * no other site can overlay the upload form.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
};

/**
 * The API as one function of an HTTP API request. `log` takes each entry, already masked: the deployed
 * function's Powertools logger, a test's list; by default a JSON line on standard output (`bangfu up`).
 */
export function createApi(
  wiring: { uploads: UploadPorts; documents: DocumentPorts },
  log: (entry: LogEntry) => void = defaultLog,
) {
  const pages = createPageRenderer();
  const html = (status: number, body: string): Response => ({
    statusCode: status,
    headers: PAGE_HEADERS,
    body,
  });
  const json = (status: number, body: object): Response => ({
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  });
  const messagePage = (view: MessagePageView) => html(view.status, pages.messagePage(view));

  return async (event: APIGatewayProxyEventV2): Promise<Response> => {
    const method = event.requestContext.http.method;
    const path = event.rawPath;
    const wantsJson = /\/slots(\/|$)/.test(path);
    try {
      const download = /^\/d\/([\w.-]+)$/.exec(path);
      if (method === 'GET' && download) {
        try {
          const url = await downloadUrl(wiring.documents, download[1] as string);
          return {
            statusCode: 302,
            headers: { location: url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
          };
        } catch (error) {
          if (error instanceof LinkError && DOWNLOAD_PAGES[error.code])
            return messagePage(DOWNLOAD_PAGES[error.code] as MessagePageView);
          if (error instanceof UnknownDocumentError) return messagePage(NOT_FOUND);
          throw error;
        }
      }
      if (method === 'GET' && path === '/staff/documents') {
        if (!isStaff(event)) return messagePage(UNAUTHENTICATED);
        const documents = await listDocuments(wiring.documents);
        return html(200, pages.documentsPage(documents));
      }
      const upload = /^\/u\/([\w.-]+)(\/.*)?$/.exec(path);
      if (!upload) return messagePage(NOT_FOUND);
      const [, token, rest = ''] = upload as unknown as [string, string, string | undefined];
      if (method === 'GET' && rest === '')
        return html(200, pages.uploadPage(await uploadPageView(wiring.uploads, token)));
      if (method === 'POST' && rest === '/slots') {
        return json(200, await requestUploadSlot(wiring.uploads, token, parseJson(event)));
      }
      if (method === 'GET' && rest === '/received') {
        const link = await resolveLink(wiring.uploads, token);
        const slot = event.queryStringParameters?.slot ?? '';
        return html(
          200,
          pages.receivedPage({
            pagePath: pagePath(token),
            statusPath: `${pagePath(token)}/slots/${encodeURIComponent(slot)}`,
            obligationTitle: link.rule.title,
            year: link.obligation.year,
            institution: link.institution.name,
          }),
        );
      }
      const slotStatus = /^\/slots\/([\w-]+)$/.exec(rest);
      if (method === 'GET' && slotStatus) {
        return json(200, await uploadSlotStatus(wiring.uploads, token, slotStatus[1] as string));
      }
      return messagePage(NOT_FOUND);
    } catch (error) {
      if (error instanceof LinkError) {
        const view = LINK_PAGES[error.code];
        log({ level: 'info', message: 'link refused', code: error.code, path: redactPath(path) });
        return wantsJson
          ? json(view.status, { message: `${view.title}：${view.message}` })
          : messagePage(view);
      }
      if (error instanceof UploadRequestError) {
        return json(error.status, { message: error.message, ...(error.field ? { field: error.field } : {}) });
      }
      log({
        level: 'error',
        message: 'request failed',
        path: redactPath(path),
        error: redactText(String((error as Error).stack ?? error)),
      });
      return wantsJson ? json(500, { message: SERVER_ERROR.message }) : messagePage(SERVER_ERROR);
    }
  };
}

function parseJson(event: APIGatewayProxyEventV2): unknown {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  try {
    return JSON.parse(raw);
  } catch {
    throw new UploadRequestError(400, '请求格式有误，请刷新页面后重试。');
  }
}

function defaultLog(entry: LogEntry): void {
  console.log(JSON.stringify(entry));
}
