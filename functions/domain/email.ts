/**
 * What a reminder says, as data for the templates in `templates/email/`, and the message a mailer
 * sends. Pure: the wording lives in the templates, the facts are computed here.
 */

export interface NamedInstitution {
  id: string;
  name: string;
}

/** Everything a reminder template may show. All strings are raw: templates escape them. */
export interface ReminderView {
  programme: { id: string; name: string; shortName: string };
  pairing: {
    id: string;
    recipient: string;
    /** In the plan's order; `lead` marks the lead supporter. */
    supporters: { name: string; lead: boolean }[];
    /** e.g. 国家级任务、省级任务; empty where the plan has no levels. */
    taskLevels: string[];
    /** 综合 / 中医 / 疾控 */
    category: string;
  };
  obligation: {
    id: string;
    kind: string;
    /** e.g. 对口帮扶协议书 */
    title: string;
    /** What exactly to upload, in the plan's words. */
    deliverable: string;
    /** e.g. 福建省“十四五”时期三级医院对口帮扶县级医院工作方案 三、（一） */
    citation: string;
    year: number;
    /** YYYY-MM-DD */
    dueDate: string;
    /** 2022年2月28日 */
    dueDateZh: string;
    /** 星期一 */
    dueWeekdayZh: string;
  };
  stage: {
    /** e.g. T-3+T-1 */
    name: string;
    /** Days from the send day to the due date: positive before, 0 on the day, negative after. */
    daysLeft: number;
    /** 还有 3 天截止 / 今天截止 / 明天截止 / 已逾期 2 天 */
    urgencyZh: string;
    afterDue: boolean;
    lastStage: boolean;
  };
  /** YYYY-MM-DD, the Beijing date the reminder is sent. */
  sendOn: string;
  sendOnZh: string;
  /** Institutions that must submit (e.g. the lead supporter). */
  submitters: string[];
  /** Who this reminder went to, by institution, so each reader knows who else was told. */
  audience: { to: string[]; cc: string[] };
  /** Commissions that joined because the due date has passed. */
  escalatedTo: string[];
  /**
   * One personal upload link per submitting institution. `url` is absent where no link can be issued:
   * templates show a clearly marked placeholder then.
   */
  uploadLinks: { institution: string; url?: string }[];
  /** Link to the pre-filled agreement form, when there is one. */
  agreementFormUrl?: string;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: string | Uint8Array;
}

/** A message ready for a mailer: addresses, rendered bodies, attachments and tracing headers. */
export interface OutboundEmail {
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  attachments: EmailAttachment[];
  /** `X-Bangfu-*` headers: obligation, stage, so any copy of a message says what it was for. */
  headers: Record<string, string>;
}

/** What a receipt (accepted upload) or a rejection notice says. Strings are raw: templates escape them. */
export interface UploadNoticeView {
  programme: { name: string };
  pairing: { recipient: string; lead: string };
  obligation: { id: string; title: string; year: number; dueDateZh: string; dueWeekdayZh: string };
  /** The institution whose link was used. */
  institution: string;
  filename: string;
  /** Beijing time, e.g. 2022-02-25 10:31 */
  receivedAt: string;
  size: string;
  sha256: string;
  /** For a receipt: 1 for the first submission, then 2, 3 … */
  version?: number;
  /** 按时提交 / 逾期提交 */
  timelinessZh?: string;
  /** For a rejection or a return: why, in Chinese. */
  reason?: string;
  /** For a return: the commission that reviewed it. */
  reviewer?: string;
  /** The personal upload page, to see the history or upload again. */
  uploadUrl: string;
}

/** A generated document announced to commission staff, with its download link. */
export interface DocumentNoticeView {
  programme: { id: string; name: string };
  title: string;
  /** 截至北京时间 2022-03-01 00:00 */
  asOf: string;
  generatedAt: string;
  url: string;
  /** Until when the link works, Beijing time. */
  linkValidUntil: string;
  /** One line per fact worth reading in the email itself, e.g. 按时提交 30 个，逾期 2 个，未提交 2 个。 */
  highlights: string[];
}

/** The weekly digest for one commission: what is outstanding among the pairings it oversees. */
export interface DigestView {
  programme: { id: string; name: string };
  commission: string;
  /** 2022年2月21日（星期一） */
  weekOf: string;
  /** One row per outstanding obligation; empty when the digest summarises by city instead. */
  items: {
    recipient: string;
    lead: string;
    title: string;
    year: number;
    dueDateZh: string;
    stateZh: string;
    urgencyZh: string;
  }[];
  /**
   * One row per recipient city (the documents' grouping), most overdue first: the provincial
   * commission's digest, and a city commission's with too many rows to list. Empty when `items` lists.
   */
  cities: DigestCityRow[];
  /** Every outstanding obligation: overdue + open. */
  outstandingCount: number;
  overdueCount: number;
  /** Not yet past due (待提交, 已退回待重交). */
  openCount: number;
  /** Open and due by the Sunday of the digest's week. */
  dueThisWeekCount: number;
  /** The full list: the current status document (every pairing's state). */
  statusDocument?: { title: string; url: string };
}

export interface DigestCityRow {
  city: string;
  outstanding: number;
  overdue: number;
  open: number;
  dueThisWeek: number;
}

/** Tells a commission that a coordinator's address bounced or complained. */
export interface BounceNoticeView {
  commission: string;
  institution: string;
  name: string;
  role: string;
  email: string;
  /** 被退回（地址不存在或拒收） / 被收件人标记为垃圾邮件 */
  problemZh: string;
  detail?: string;
  at: string;
}

/** Tells a city commission that the province returned its forwarding, and why (Fujian §三(一)). */
export interface ForwardingReturnedView {
  programme: { id: string; name: string };
  commission: string;
  province: string;
  forwarding: {
    id: string;
    title: string;
    year: number;
    /** The due date in force (an extension included). */
    dueDateZh: string;
    dueWeekdayZh: string;
  };
  /** When the city forwarded it, and when the province returned it, Beijing time. */
  forwardedAt: string;
  returnedAt: string;
  reason: string;
  /** The commission's forwarding page in the console, where it forwards again. */
  consoleUrl?: string;
}
