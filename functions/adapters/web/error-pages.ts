/**
 * What a person sees when a request cannot be answered as asked: one table for the whole API, each
 * page saying what went wrong and what to do next, never a stack trace.
 */
import type { LinkError } from '../../domain/links.ts';
import type { MessagePageView } from '../../domain/upload.ts';

export const LINK_PAGES: Record<LinkError['code'], MessagePageView> = {
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

export const DOWNLOAD_PAGES: Partial<Record<LinkError['code'], MessagePageView>> = {
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

export const SERVER_ERROR: MessagePageView = {
  status: 500,
  title: '系统暂时无法处理',
  message: '服务器处理您的请求时出现问题，您的文件未被提交。',
  hint: '请稍后重试；如多次出现，请联系本级卫生健康行政部门。',
};

export const NOT_FOUND: MessagePageView = {
  status: 404,
  title: '页面不存在',
  message: '您访问的页面不存在。',
};

/** A console address without a session, asked for by a script or a tool rather than a page visit. */
export const UNAUTHENTICATED: MessagePageView = {
  status: 401,
  title: '请先登录',
  message: '该页面仅供卫生健康行政部门工作人员使用。',
  hint: '请通过工作台登录后访问。',
};

/** A state-changing console request without a valid CSRF token, or from another origin. */
export const CSRF_REFUSED: MessagePageView = {
  status: 403,
  title: '操作未通过安全校验',
  message: '该操作未通过安全校验，未被执行。',
  hint: '请回到工作台页面刷新后重试；请勿通过其他网站或收藏的表单提交。',
};

/** A deployment without the sign-in settings (issuer, client id): no console, uploads still work. */
export const SIGN_IN_NOT_CONFIGURED: MessagePageView = {
  status: 503,
  title: '工作台登录尚未配置',
  message: '本系统尚未配置工作人员登录服务，工作台暂不可用。上传和下载链接不受影响。',
  hint: '请联系系统管理员配置登录服务（BANGFU_STAFF_ISSUER、BANGFU_STAFF_CLIENT_ID）。',
};

/** The callback without its pending sign-in (too late, another browser) or refused by the library. */
export const signInFailedPage = (message: string): MessagePageView => ({
  status: 400,
  title: '无法完成登录',
  message,
  hint: '请重新打开工作台登录；如多次出现，请联系系统管理员。',
});

/** A signed identity the console refuses (no commission, no role …): `message` says which. */
export const identityRejectedPage = (message: string): MessagePageView => ({
  status: 403,
  title: '无法登录工作台',
  message,
  hint: '请联系省卫生健康委的工作台管理员核对您的账号。',
});

/** Anything else that stops a sign-in or sign-out (the provider unreachable, the audit not written). */
export const SIGN_IN_ERROR: MessagePageView = {
  status: 500,
  title: '暂时无法登录',
  message: '登录过程中出现问题，本次操作未完成。',
  hint: '请稍后重试；如多次出现，请联系系统管理员。',
};
