/**
 * The pieces every composition root assembles from config: the use cases' ports, built the same way
 * for each deployed function, the command line and the local stack. A root passes in only the
 * clients and adapters its function uses, so a function's bundle holds nothing it never calls.
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '../adapters/config.ts';
import { consolePaths } from '../adapters/console-paths.ts';
import type { OnSignIn, StaffAccess } from '../adapters/http-api.ts';
import { createStaffSignIn } from '../adapters/oidc-client.ts';
import { presignPost, s3Documents } from '../adapters/s3-files.ts';
import { downloadTickets, uploadTickets } from '../adapters/upload-links.ts';
import { staffSignInUrls } from '../adapters/web/staff-paths.ts';
import { createStaffSessions } from '../adapters/web/staff-sessions.ts';
import { beijingDate } from '../domain/plain-date.ts';
import { prcCalendar } from '../domain/working-days.ts';
import type { DeliveryProblemPorts } from '../use-cases/delivery-problems.ts';
import type { DocumentPorts, RenderingDocumentPorts } from '../use-cases/documents.ts';
import type { ForwardingActionPorts } from '../use-cases/forwarding-actions.ts';
import type { IngestPorts } from '../use-cases/ingest-upload.ts';
import { type UploadPorts, uploadLinksFor } from '../use-cases/personal-links.ts';
import type {
  AppStore,
  FileStore,
  ForwardingReminderRenderer,
  Mailer,
  NoticeRenderer,
  ReminderRenderer,
  ReportRenderers,
  StaffMailRenderer,
} from '../use-cases/ports.ts';
import type { DuePagePorts } from '../use-cases/remind-due-page.ts';
import type { DailyTickPorts } from '../use-cases/run-tick.ts';
import type { ReminderPorts } from '../use-cases/send-due-reminders.ts';

/** What "now" is: the wall clock on AWS; a simulated one when a demo or a test replays a plan. */
export type Clock = () => Date;
export const wallClock: Clock = () => new Date();

/** How long a claim protects an unfinished send, in the unit the use cases take. */
export const claimLeaseMsOf = (config: AppConfig) => config.claimLeaseSeconds * 1000;

const baseUrl = (config: AppConfig) => config.uploads.publicUrl.replace(/\/+$/, '');

/**
 * A city commission's forwarding and the province's review: the city's PDF goes to the submissions
 * bucket, checked as an upload is and within the same size limit; the notice of a return goes out
 * from the configured sender, a run id of its own naming its claims, and links to the commission's
 * forwarding page.
 */
export function forwardingActionPortsOf(
  config: AppConfig,
  parts: Omit<ForwardingActionPorts, 'settings' | 'sender' | 'runId' | 'claimLeaseMs' | 'consoleLink'>,
): ForwardingActionPorts {
  const consoleBase = baseUrl(config);
  return {
    ...parts,
    sender: config.sender,
    runId: randomUUID(),
    claimLeaseMs: claimLeaseMsOf(config),
    consoleLink: (f) => `${consoleBase}${consolePaths.forwarding(f.programmeId, f.kind, f.year)}`,
    settings: { bucket: config.bucketName, maxBytes: config.uploads.maxBytes },
  };
}

export function uploadPortsOf(
  config: AppConfig,
  parts: { store: AppStore; s3: S3Client; clock: Clock },
): UploadPorts {
  return {
    store: parts.store,
    tickets: uploadTickets(config.uploads.ticketSecret),
    presignPost: presignPost(parts.s3, config.bucketName),
    clock: parts.clock,
    newId: () => randomUUID(),
    settings: {
      publicUrl: baseUrl(config),
      bucket: config.bucketName,
      maxBytes: config.uploads.maxBytes,
      graceDays: config.uploads.graceDays,
      postExpirySeconds: config.uploads.postExpirySeconds,
    },
  };
}

export function documentPortsOf(
  config: AppConfig,
  parts: { store: AppStore; s3: S3Client; clock: Clock },
): DocumentPorts {
  return {
    store: parts.store,
    files: s3Documents(parts.s3),
    tickets: downloadTickets(config.uploads.ticketSecret),
    clock: parts.clock,
    settings: {
      bucket: config.bucketName,
      publicUrl: baseUrl(config),
      downloadLinkDays: 14,
      presignedGetSeconds: 300,
    },
  };
}

/**
 * Staff sign-in, when the config names an issuer: the provider's client (it discovers the issuer on
 * first use) and the session cookies, sealed under keys derived from the link-signing secret.
 * Built once per process; `onSignIn` is the audit's hook (a no-op until one is given).
 */
export function staffAccessOf(
  config: AppConfig,
  parts: { clock: Clock; onSignIn?: OnSignIn },
): StaffAccess | undefined {
  if (!config.staffSignIn) return undefined;
  const { issuer, clientId, logoutEndpoint } = config.staffSignIn;
  const urls = staffSignInUrls(config.uploads.publicUrl);
  return {
    signIn: createStaffSignIn({
      issuer,
      clientId,
      redirectUri: urls.callback,
      postLogoutRedirectUri: urls.afterSignOut,
      ...(logoutEndpoint ? { logoutEndpoint } : {}),
    }),
    sessions: createStaffSessions({
      secret: config.uploads.ticketSecret,
      publicUrl: config.uploads.publicUrl,
    }),
    callbackUrl: urls.callback,
    clock: parts.clock,
    ...(parts.onSignIn ? { onSignIn: parts.onSignIn } : {}),
  };
}

export interface TickParts {
  config: AppConfig;
  store: AppStore;
  mailer: Mailer;
  reminderRenderer: ReminderRenderer;
  forwardingReminderRenderer: ForwardingReminderRenderer;
  staffMail: StaffMailRenderer;
  uploads: UploadPorts;
  documents: DocumentPorts;
  renderers: ReportRenderers;
  clock: Clock;
}

/**
 * The tick's ports; `overrides` lets a test inject a fault into the reminders (a mailer that dies):
 * the commissions' reminders go through the same mailer, clocks and run.
 */
export function dailyTickPortsOf(parts: TickParts, overrides: Partial<ReminderPorts> = {}): DailyTickPorts {
  const reminders: ReminderPorts = { ...reminderPortsOf(parts), ...overrides };
  const documents: RenderingDocumentPorts = { ...parts.documents, renderers: parts.renderers };
  const consoleBase = baseUrl(parts.config);
  return {
    reminders,
    forwardingReminders: {
      store: parts.store,
      mailer: reminders.mailer,
      renderer: parts.forwardingReminderRenderer,
      calendar: reminders.calendar,
      clock: reminders.clock,
      ...(reminders.leaseClock ? { leaseClock: reminders.leaseClock } : {}),
      sender: reminders.sender,
      runId: reminders.runId,
      // The commission's forwarding page: its pairings' deliverables to review, and the forward form.
      consoleLink: (f) => `${consoleBase}${consolePaths.forwarding(f.programmeId, f.kind, f.year)}`,
      ...(reminders.options ? { options: reminders.options } : {}),
    },
    publishing: {
      store: parts.store,
      documents,
      mailer: reminders.mailer,
      staffMail: parts.staffMail,
      sender: parts.config.sender,
      clock: reminders.clock,
      runId: reminders.runId,
      claimLeaseMs: claimLeaseMsOf(parts.config),
      leaseClock: reminders.leaseClock,
      calendar: reminders.calendar,
    },
    deliveryNotices: {
      store: parts.store,
      mailer: reminders.mailer,
      staffMail: parts.staffMail,
      sender: parts.config.sender,
      clock: reminders.clock,
      calendar: reminders.calendar,
      runId: reminders.runId,
      claimLeaseMs: claimLeaseMsOf(parts.config),
      ...(reminders.leaseClock ? { leaseClock: reminders.leaseClock } : {}),
    },
  };
}

/** What the pairings' reminders are sent with, in the tick and in a reminder worker alike. */
export type ReminderParts = Pick<
  TickParts,
  'config' | 'store' | 'mailer' | 'reminderRenderer' | 'uploads' | 'clock'
>;

/** The pairings' reminders' ports: a run id of their own naming their claims. */
function reminderPortsOf(parts: ReminderParts): ReminderPorts & DuePagePorts {
  return {
    store: parts.store,
    mailer: parts.mailer,
    renderer: parts.reminderRenderer,
    calendar: prcCalendar,
    clock: parts.clock,
    sender: parts.config.sender,
    runId: randomUUID(),
    options: { claimLeaseMs: claimLeaseMsOf(parts.config) },
    uploadLinks: (requests) => uploadLinksFor(parts.uploads, requests),
  };
}

/**
 * A reminder worker's ports for one page of the due index: the tick's reminder ports (the same
 * mailer, renderer, clocks and upload links); `overrides` lets a test inject a fault or a clock.
 */
export function duePagePortsOf(parts: ReminderParts, overrides: Partial<DuePagePorts> = {}): DuePagePorts {
  return { ...reminderPortsOf(parts), ...overrides };
}

/** The Beijing day a tick scheduled (or asked for) at `at` works on. */
export const tickDayOf = (at: Date) => beijingDate(at);

export interface IngestParts {
  config: AppConfig;
  store: AppStore;
  files: FileStore;
  inspect: IngestPorts['inspect'];
  mailer: Mailer;
  notices: NoticeRenderer;
  uploads: UploadPorts;
  clock: Clock;
}

/** Ingest's ports for one delivery: a run id of its own names its claims. */
export function ingestPortsOf(parts: IngestParts, overrides: Partial<IngestPorts> = {}): IngestPorts {
  return {
    store: parts.store,
    files: parts.files,
    inspect: parts.inspect,
    mailer: parts.mailer,
    notices: parts.notices,
    sender: parts.config.sender,
    clock: parts.clock,
    runId: randomUUID(),
    claimLeaseMs: claimLeaseMsOf(parts.config),
    uploads: parts.uploads,
    ...overrides,
  };
}

export function deliveryProblemPortsOf(parts: {
  config: AppConfig;
  store: AppStore;
  mailer: Mailer;
  staffMail: StaffMailRenderer;
  clock: Clock;
}): DeliveryProblemPorts {
  return {
    store: parts.store,
    mailer: parts.mailer,
    staffMail: parts.staffMail,
    sender: parts.config.sender,
    clock: parts.clock,
    calendar: prcCalendar,
    runId: randomUUID(),
    claimLeaseMs: claimLeaseMsOf(parts.config),
  };
}
