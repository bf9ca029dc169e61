/** The Ingest function's composition: DynamoDB, S3 (the upload itself), the file inspector, SES. */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { s3Client } from '../adapters/clients/s3.ts';
import { sesClient } from '../adapters/clients/ses.ts';
import type { AppConfig } from '../adapters/config.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import { createNoticeRenderer } from '../adapters/email-renderer.ts';
import { inspectUpload } from '../adapters/file-inspector.ts';
import { s3Files } from '../adapters/s3-files.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import type { IngestPorts } from '../use-cases/ingest-upload.ts';
import { type Clock, ingestPortsOf, uploadPortsOf, wallClock } from './parts.ts';

export function ingestComposition(config: AppConfig, clock: Clock = wallClock): { ports: () => IngestPorts } {
  const { documents } = dynamoDocumentClient(config);
  const s3 = s3Client(config);
  const store = new DynamoStore(documents, config.tableName);
  const parts = {
    config,
    store,
    files: s3Files(s3),
    inspect: inspectUpload,
    mailer: sesMailer(sesClient(config), config.ses),
    notices: createNoticeRenderer(),
    uploads: uploadPortsOf(config, { store, s3, clock }),
    clock,
  };
  return { ports: () => ingestPortsOf(parts) };
}
