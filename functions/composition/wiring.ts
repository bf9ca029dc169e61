/**
 * Everything at once, from one config: the composition of the command line, the local stack (which
 * serves the API, ingests uploads and runs the tick in one process) and the tests. Built from the
 * same parts as each deployed function's own composition, so local and AWS run the same wiring.
 */
import { randomUUID } from 'node:crypto';
import { type AwsClients, createAwsClients } from '../adapters/aws-clients.ts';
import type { AppConfig } from '../adapters/config.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import {
  createForwardingReminderRenderer,
  createNoticeRenderer,
  createReminderRenderer,
  createStaffMailRenderer,
} from '../adapters/email-renderer.ts';
import { inspectUpload } from '../adapters/file-inspector.ts';
import type { OnSignIn, StaffAccess } from '../adapters/http-api.ts';
import { inProcessWorkQueue } from '../adapters/in-process-work-queue.ts';
import { pdfRenderers } from '../adapters/pdf/renderers.ts';
import { s3Files, s3SubmissionFiles } from '../adapters/s3-files.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import type { ConsoleParts } from '../adapters/web/context.ts';
import type { DocumentPorts } from '../use-cases/documents.ts';
import type { ForwardingActionPorts } from '../use-cases/forwarding-actions.ts';
import type { IngestPorts } from '../use-cases/ingest-upload.ts';
import type { ObligationActionPorts } from '../use-cases/obligation-actions.ts';
import type { UploadPorts } from '../use-cases/personal-links.ts';
import type {
  ClockControl,
  ForwardingReminderRenderer,
  Mailer,
  NoticeRenderer,
  ReminderRenderer,
  StaffMailRenderer,
} from '../use-cases/ports.ts';
import { recordSignIn } from '../use-cases/record-sign-in.ts';
import type { DuePagePorts } from '../use-cases/remind-due-page.ts';
import { type DailyTickResult, runDailyTick } from '../use-cases/run-tick.ts';
import type { ReminderPorts, TickResult } from '../use-cases/send-due-reminders.ts';
import {
  type Clock,
  claimLeaseMsOf,
  dailyTickPortsOf,
  documentPortsOf,
  duePagePortsOf,
  forwardingActionPortsOf,
  ingestPortsOf,
  staffAccessOf,
  tickDayOf,
  uploadPortsOf,
  wallClock,
} from './parts.ts';
import { reminderWorker } from './reminder-worker.ts';

export interface Wiring {
  config: AppConfig;
  clients: AwsClients;
  store: DynamoStore;
  mailer: Mailer;
  renderer: ReminderRenderer;
  /** The city commissions' reminders of their own deliverables. */
  forwardingRenderer: ForwardingReminderRenderer;
  notices: NoticeRenderer;
  uploads: UploadPorts;
  documents: DocumentPorts;
  staffMail: StaffMailRenderer;
  /** Staff sign-in, when the config names an issuer (the local stack's provider, Cognito). */
  staff: StaffAccess | undefined;
  /** The console's reads and actions, served by the local API as on AWS. */
  console: ConsoleParts;
  clock: Clock;
  /** How the tick's pairings' reminders are sent: by the tick itself, or through the work queue. */
  reminderWork: ReminderWork;
  destroy(): void;
}

/**
 * `inline`: the tick sends each page of due reminders itself. `in-process`: it hands them to the
 * in-process work queue, whose pages run through the deployed reminder worker's code, as on AWS.
 */
export type ReminderWork = 'inline' | 'in-process';

export interface WiringOptions {
  /**
   * What "now" is for links, tickets and records: the wall clock, or a simulated one when a demo or a
   * test replays a plan's past (the tick's day still comes from its own event).
   */
  clock?: Clock;
  /** Told of each staff sign-in (the audit's hook); a no-op by default. */
  onSignIn?: OnSignIn;
  /**
   * What staff sessions and sign-ins are timed by, when not `clock`: the local stack keeps them on the
   * wall clock under a simulated clock staff move by days, so moving it does not sign them out.
   */
  sessionClock?: Clock;
  /** The console's control of a simulated clock: the local composition only; never on AWS. */
  clockControl?: (wiring: Wiring) => ClockControl;
  /** @default 'inline' */
  reminderWork?: ReminderWork;
}

export function createWiring(config: AppConfig, options: WiringOptions = {}): Wiring {
  const clock = options.clock ?? wallClock;
  const clients = createAwsClients(config);
  const store = new DynamoStore(clients.documents, config.tableName);
  const parts = { store, s3: clients.s3, clock };
  const wiring: Wiring = {
    config,
    clients,
    store,
    mailer: sesMailer(clients.ses, config.ses),
    renderer: createReminderRenderer(),
    forwardingRenderer: createForwardingReminderRenderer(),
    notices: createNoticeRenderer(),
    staffMail: createStaffMailRenderer(),
    clock,
    reminderWork: options.reminderWork ?? 'inline',
    uploads: uploadPortsOf(config, parts),
    documents: documentPortsOf(config, parts),
    // Every sign-in goes to the audit log, unless a test listens for it instead.
    staff: staffAccessOf(config, {
      clock: options.sessionClock ?? clock,
      onSignIn: options.onSignIn ?? ((identity, at) => recordSignIn({ store }, identity, at)),
    }),
    console: {
      store,
      actions: () => obligationActionPorts(wiring),
      forwardings: () => forwardingActionPorts(wiring),
      submissionFiles: s3SubmissionFiles(clients.s3),
      renderers: pdfRenderers,
      clock,
    },
    destroy: () => clients.destroy(),
  };
  if (options.clockControl) wiring.console.clockControl = options.clockControl(wiring);
  return wiring;
}

/** Ingest's ports for one delivery; `overrides` lets a test inject a fault or a race. */
export function ingestPorts(wiring: Wiring, overrides: Partial<IngestPorts> = {}): IngestPorts {
  return ingestPortsOf(
    {
      config: wiring.config,
      store: wiring.store,
      files: s3Files(wiring.clients.s3),
      inspect: inspectUpload,
      mailer: wiring.mailer,
      notices: wiring.notices,
      uploads: wiring.uploads,
      clock: wiring.clock,
    },
    overrides,
  );
}

/** A reminder worker's ports on this wiring, for one page; `overrides` as the tick's reminders take. */
export function duePagePorts(wiring: Wiring, overrides: Partial<DuePagePorts> = {}): DuePagePorts {
  return duePagePortsOf(
    {
      config: wiring.config,
      store: wiring.store,
      mailer: wiring.mailer,
      reminderRenderer: wiring.renderer,
      uploads: wiring.uploads,
      clock: wiring.clock,
    },
    overrides,
  );
}

/**
 * Runs the daily tick for the Beijing day of `at` (runDailyTick); `overrides` lets tests inject a
 * fault into the reminders (a mailer that dies), or a work queue of their own. With
 * `reminderWork: 'in-process'` the pages go through the in-process work queue, and what they sent
 * joins the result as the inline tick reports it.
 */
export async function runTick(
  wiring: Wiring,
  at: Date,
  overrides: Partial<ReminderPorts> = {},
): Promise<DailyTickResult> {
  const pages: TickResult[] = [];
  const fanOut = wiring.reminderWork === 'in-process' && !overrides.workQueue;
  if (fanOut) {
    const { store: _store, workQueue: _queue, ...pageOverrides } = overrides;
    const worker = reminderWorker(
      () => duePagePorts(wiring, pageOverrides),
      () => undefined,
    );
    overrides = {
      ...overrides,
      workQueue: inProcessWorkQueue(worker, { onPage: (page) => page.result && pages.push(page.result) }),
    };
  }
  const ports = dailyTickPortsOf(
    {
      config: wiring.config,
      store: wiring.store,
      mailer: wiring.mailer,
      reminderRenderer: wiring.renderer,
      forwardingReminderRenderer: wiring.forwardingRenderer,
      staffMail: wiring.staffMail,
      uploads: wiring.uploads,
      documents: wiring.documents,
      renderers: pdfRenderers,
      clock: wiring.clock,
    },
    overrides,
  );
  const result = await runDailyTick(ports, tickDayOf(at));
  return fanOut ? withPageResults(result, pages) : result;
}

/** The tick's result with what its pages sent through the work queue added, as if sent inline. */
function withPageResults(result: DailyTickResult, pages: readonly TickResult[]): DailyTickResult {
  const all = <T>(own: readonly T[], ofPage: (page: TickResult) => readonly T[]) => [
    ...own,
    ...pages.flatMap(ofPage),
  ];
  return {
    ...result,
    messages: all(result.messages, (p) => p.messages),
    alreadySent: pages.reduce((n, p) => n + p.alreadySent, result.alreadySent),
    rejected: all(result.rejected, (p) => p.rejected),
    suppressed: all(result.suppressed, (p) => p.suppressed),
    failed: all(result.failed, (p) => p.failed),
    unconfirmed: all(result.unconfirmed, (p) => p.unconfirmed),
    noContacts: all(result.noContacts, (p) => p.noContacts),
  };
}

/** A staff action's ports: the console, the command line and tests act through the same wiring. */
export function obligationActionPorts(wiring: Wiring): ObligationActionPorts {
  return {
    store: wiring.store,
    mailer: wiring.mailer,
    notices: wiring.notices,
    uploads: wiring.uploads,
    sender: wiring.config.sender,
    clock: wiring.clock,
    runId: randomUUID(),
    claimLeaseMs: claimLeaseMsOf(wiring.config),
  };
}

/** A forwarding's ports: the console, `bangfu forward|forwarding` and tests act through the same wiring. */
export function forwardingActionPorts(wiring: Wiring): ForwardingActionPorts {
  return forwardingActionPortsOf(wiring.config, {
    store: wiring.store,
    mailer: wiring.mailer,
    staffMail: wiring.staffMail,
    files: s3Files(wiring.clients.s3),
    inspect: inspectUpload,
    renderers: pdfRenderers,
    clock: wiring.clock,
  });
}
