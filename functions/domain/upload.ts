/**
 * Upload rules and what the upload pages show. Pure data: the pages' wording is in
 * `templates/pages/`, the checks of a file's content in `functions/adapters/file-inspector.ts`.
 */

export interface AcceptedType {
  /** The media type the content is detected as. */
  mime: string;
  extensions: string[];
  /** What people call it. */
  label: string;
}

/** Scans and reports as PDF, JPEG, PNG or OFD (China's fixed-layout document format). */
export const ACCEPTED_TYPES: readonly AcceptedType[] = [
  { mime: 'application/pdf', extensions: ['pdf'], label: 'PDF' },
  { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG' },
  { mime: 'image/png', extensions: ['png'], label: 'PNG' },
  { mime: 'application/ofd', extensions: ['ofd'], label: 'OFD' },
];

export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export function acceptedTypeOf(mime: string): AcceptedType | undefined {
  return ACCEPTED_TYPES.find((t) => t.mime === mime);
}

export function acceptedTypeByExtension(filename: string): AcceptedType | undefined {
  const extension = filename.toLowerCase().split('.').pop() ?? '';
  return ACCEPTED_TYPES.find((t) => t.extensions.includes(extension));
}

/** Why an upload was refused: a code for logs and tests, a Chinese sentence for the uploader. */
export interface UploadProblem {
  code:
    | 'empty'
    | 'too-large'
    | 'unsupported-type'
    | 'type-mismatch'
    | 'unreadable-pdf'
    | 'password-protected-pdf'
    | 'unreadable-ofd'
    | 'unknown-slot'
    | 'slot-expired'
    | 'link-revoked';
  message: string;
}

/** Result of checking an uploaded file's content. */
export type InspectionResult =
  | { ok: true; detectedType: string; sha256: string; size: number }
  | { ok: false; problem: UploadProblem; sha256: string; size: number; detectedType?: string };

export interface SubmissionHistoryRow {
  version: number;
  /** 2022-02-25 10:31 (Beijing time) */
  receivedAt: string;
  filename: string;
  /** 1.2 MB */
  size: string;
  /** First 12 hex digits, enough to tell files apart on a phone screen. */
  sha256: string;
  institution: string;
}

/** Everything the upload page shows. Strings are raw: the template escapes them. */
export interface UploadPageView {
  /** Path of the page itself, e.g. /u/<token>: the form posts its slot request to `${pagePath}/slots`. */
  pagePath: string;
  programme: { name: string; shortName: string };
  pairing: { recipient: string; supporters: { name: string; lead: boolean }[]; taskLevels: string[] };
  obligation: {
    kind: string;
    title: string;
    year: number;
    deliverable: string;
    dueDateZh: string;
    dueWeekdayZh: string;
    urgencyZh: string;
    /** 进行中 / 已逾期 / 已提交 … */
    stateZh: string;
  };
  /** The institution this personal link was issued to. */
  institution: string;
  acceptedTypes: { label: string; extensions: string[]; mime: string }[];
  /** `accept` attribute for the file input, e.g. `.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,…`. */
  accept: string;
  maxBytes: number;
  /** 20 MB */
  maxSizeLabel: string;
  /** Until when this link works, Beijing time. */
  linkValidUntil: string;
  history: SubmissionHistoryRow[];
  /** The annual report asks for the year's figures alongside the file. */
  figures?: {
    year: number;
    /** Fujian: at least 5 stationed staff (3 for a TCM hospital); shown as guidance. */
    guidance: string[];
    centres: string[];
    centreStatuses: { value: string; label: string }[];
    roles: { value: string; label: string }[];
  };
}

export interface MessagePageView {
  /** HTTP status the page is sent with. */
  status: number;
  title: string;
  message: string;
  /** What the person can do next, e.g. 请联系本单位联络员或省卫健委重新获取链接。 */
  hint?: string;
}

/** The page S3 redirects to after the file is posted: it follows the check of the upload. */
export interface UploadReceivedView {
  pagePath: string;
  /** JSON endpoint with the slot's state: `{ state: 'waiting' | 'accepted' | 'rejected', message }`. */
  statusPath: string;
  obligationTitle: string;
  year: number;
  institution: string;
}
