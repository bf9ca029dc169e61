/**
 * The Api function's composition: DynamoDB, S3 (presigning uploads, documents and submitted
 * versions; storing documents generated from the console), staff sign-in when configured, and what
 * the console's staff actions need: SES for the notices a return sends (to uploaders, and to a city
 * commission whose forwarding the province returned), pdfkit for documents made on demand, and the
 * upload check for the PDF a city commission forwards.
 */
import { randomUUID } from 'node:crypto';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { s3Client } from '../adapters/clients/s3.ts';
import { sesClient } from '../adapters/clients/ses.ts';
import type { AppConfig } from '../adapters/config.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import { createNoticeRenderer, createStaffMailRenderer } from '../adapters/email-renderer.ts';
import { inspectUpload } from '../adapters/file-inspector.ts';
import type { ApiParts } from '../adapters/http-api.ts';
import { pdfRenderers } from '../adapters/pdf/renderers.ts';
import { s3Files, s3SubmissionFiles } from '../adapters/s3-files.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import { recordSignIn } from '../use-cases/record-sign-in.ts';
import {
  type Clock,
  claimLeaseMsOf,
  documentPortsOf,
  forwardingActionPortsOf,
  staffAccessOf,
  uploadPortsOf,
  wallClock,
} from './parts.ts';

export function apiComposition(config: AppConfig, clock: Clock = wallClock): ApiParts {
  const { documents } = dynamoDocumentClient(config);
  const s3 = s3Client(config);
  const store = new DynamoStore(documents, config.tableName);
  const uploads = uploadPortsOf(config, { store, s3, clock });
  const staff = staffAccessOf(config, {
    clock,
    onSignIn: (identity, at) => recordSignIn({ store }, identity, at),
  });
  const mailer = sesMailer(sesClient(config), config.ses);
  const notices = createNoticeRenderer();
  const staffMail = createStaffMailRenderer();
  return {
    uploads,
    documents: documentPortsOf(config, { store, s3, clock }),
    staff,
    console: staff
      ? {
          store,
          actions: () => ({
            store,
            mailer,
            notices,
            uploads,
            sender: config.sender,
            clock,
            runId: randomUUID(),
            claimLeaseMs: claimLeaseMsOf(config),
          }),
          forwardings: () =>
            forwardingActionPortsOf(config, {
              store,
              mailer,
              staffMail,
              files: s3Files(s3),
              inspect: inspectUpload,
              renderers: pdfRenderers,
              clock,
            }),
          submissionFiles: s3SubmissionFiles(s3),
          renderers: pdfRenderers,
          clock,
        }
      : undefined,
  };
}
