import type { S3Event } from 'aws-lambda';

/** S3 sends object keys URL-encoded with spaces as '+'. */
export function objectKeyOf(record: S3Event['Records'][number]): string {
  return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
}
