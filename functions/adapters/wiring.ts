/** Builds every adapter from one config, once per process: the same wiring for Lambdas, CLI and tests. */
import { randomUUID } from 'node:crypto';
import { beijingDate } from '../domain/plain-date.ts';
import { prcCalendar } from '../domain/working-days.ts';
import type { DocumentPorts } from '../use-cases/documents.ts';
import type { IngestPorts } from '../use-cases/ingest-upload.ts';
import type { Mailer, ReminderRenderer } from '../use-cases/ports.ts';
import { type PublishResult, publishDocuments } from '../use-cases/publish-documents.ts';
import { type ReminderPorts, sendDueReminders, type TickResult } from '../use-cases/send-due-reminders.ts';
import { type UploadPorts, uploadLinkFor } from '../use-cases/uploads.ts';
import { type AwsClients, createAwsClients } from './aws-clients.ts';
import type { AppConfig } from './config.ts';
import { DynamoStore } from './dynamo-store.ts';
import {
  createNoticeRenderer,
  createReminderRenderer,
  createStaffMailRenderer,
  type NoticeRenderer,
  type StaffMailRenderer,
} from './email-renderer.ts';
import { inspectUpload } from './file-inspector.ts';
import { presignPost, s3Documents, s3Files } from './s3-files.ts';
import { sesMailer } from './ses-mailer.ts';
import { downloadTickets, uploadTickets } from './upload-links.ts';

export interface Wiring {
  config: AppConfig;
  clients: AwsClients;
  store: DynamoStore;
  mailer: Mailer;
  renderer: ReminderRenderer;
  notices: NoticeRenderer;
  uploads: UploadPorts;
  documents: DocumentPorts;
  staffMail: StaffMailRenderer;
  clock: () => Date;
  destroy(): void;
}

export interface WiringOptions {
  /**
   * What "now" is for links, tickets and records: the wall clock, or a simulated one when a demo or a
   * test replays a plan's past (the tick's day still comes from its own event).
   */
  clock?: () => Date;
}

export function createWiring(config: AppConfig, options: WiringOptions = {}): Wiring {
  const clock = options.clock ?? (() => new Date());
  const clients = createAwsClients(config);
  const store = new DynamoStore(clients.documents, config.tableName);
  return {
    config,
    clients,
    store,
    mailer: sesMailer(clients.ses, config.ses),
    renderer: createReminderRenderer(),
    notices: createNoticeRenderer(),
    staffMail: createStaffMailRenderer(),
    clock,
    uploads: {
      store,
      tickets: uploadTickets(config.uploads.ticketSecret),
      presignPost: presignPost(clients.s3, config.bucketName),
      clock,
      newId: () => randomUUID(),
      settings: {
        publicUrl: config.uploads.publicUrl.replace(/\/+$/, ''),
        bucket: config.bucketName,
        maxBytes: config.uploads.maxBytes,
        graceDays: config.uploads.graceDays,
        postExpirySeconds: config.uploads.postExpirySeconds,
      },
    },
    documents: {
      store,
      files: s3Documents(clients.s3),
      tickets: downloadTickets(config.uploads.ticketSecret),
      clock,
      settings: {
        bucket: config.bucketName,
        publicUrl: config.uploads.publicUrl.replace(/\/+$/, ''),
        downloadLinkDays: 14,
        presignedGetSeconds: 300,
      },
    },
    destroy: () => clients.destroy(),
  };
}

/** The ingest's ports from the wiring. */
export function ingestPorts(wiring: Wiring, overrides: Partial<IngestPorts> = {}): IngestPorts {
  return {
    store: wiring.store,
    files: s3Files(wiring.clients.s3),
    inspect: inspectUpload,
    mailer: wiring.mailer,
    notices: wiring.notices,
    sender: wiring.config.sender,
    clock: wiring.clock,
    runId: randomUUID(),
    claimLeaseMs: wiring.config.claimLeaseSeconds * 1000,
    uploads: wiring.uploads,
    ...overrides,
  };
}

/** The tick's ports from the wiring; `overrides` lets tests inject a fault (a mailer that dies). */
export function tickPorts(wiring: Wiring, overrides: Partial<ReminderPorts> = {}): ReminderPorts {
  return {
    store: wiring.store,
    mailer: wiring.mailer,
    renderer: wiring.renderer,
    calendar: prcCalendar,
    clock: wiring.clock,
    sender: wiring.config.sender,
    runId: randomUUID(),
    options: { claimLeaseMs: wiring.config.claimLeaseSeconds * 1000 },
    uploadLink: (obligation, institution) => uploadLinkFor(wiring.uploads, obligation, institution),
    ...overrides,
  };
}

/**
 * Runs the daily tick for the Beijing day of `at`: the reminders due that day, then what is published
 * for commission staff (status documents after a due date, the weekly digest).
 */
export async function runTick(
  wiring: Wiring,
  at: Date,
  overrides: Partial<ReminderPorts> = {},
): Promise<TickResult & { published: PublishResult }> {
  const ports = tickPorts(wiring, overrides);
  const day = beijingDate(at);
  const reminders = await sendDueReminders(ports, day);
  const published = await publishDocuments(
    {
      store: wiring.store,
      documents: wiring.documents,
      mailer: ports.mailer,
      staffMail: wiring.staffMail,
      sender: wiring.config.sender,
      clock: ports.clock,
      runId: ports.runId,
      claimLeaseMs: wiring.config.claimLeaseSeconds * 1000,
      calendar: ports.calendar,
    },
    day,
  );
  return { ...reminders, published };
}
