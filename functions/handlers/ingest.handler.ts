/**
 * S3 ObjectCreated on `incoming/`: checks and records each upload. S3 delivers at least once and keys
 * URL-encoded (spaces as '+'); a failure is rethrown so Lambda retries the event, then the DLQ.
 */
import type { S3Event } from 'aws-lambda';
import { loadConfig } from '../adapters/config.ts';
import { createWiring, ingestPorts } from '../adapters/wiring.ts';
import { ingestUpload } from '../use-cases/ingest-upload.ts';
import { objectKeyOf } from './ingest-key.ts';

const wiring = createWiring(await loadConfig(process.env));

export const handler = async (event: S3Event) => {
  const outcomes = [];
  for (const record of event.Records) {
    const outcome = await ingestUpload(ingestPorts(wiring), {
      bucket: record.s3.bucket.name,
      key: objectKeyOf(record),
    });
    console.log(JSON.stringify({ level: 'info', message: 'ingest', key: objectKeyOf(record), ...outcome }));
    outcomes.push(outcome);
  }
  return outcomes;
};
