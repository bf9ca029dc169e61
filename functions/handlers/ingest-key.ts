import type { S3Event } from 'aws-lambda';

/** S3 notifications send object keys URL-encoded with spaces as '+'. */
export function objectKeyOf(record: S3Event['Records'][number]): string {
  return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
}

/** An S3 "Object Created" event delivered through EventBridge: the key comes as it is. */
export interface EventBridgeObjectCreated {
  'detail-type': 'Object Created';
  source: 'aws.s3';
  detail: { bucket: { name: string }; object: { key: string; 'version-id'?: string } };
}

/**
 * The objects an ingest event names, whichever way S3 delivered it; in a versioned bucket with the
 * version the event is about, so ingest reads that object even if another has replaced it since.
 */
export function objectsOf(
  event: S3Event | EventBridgeObjectCreated,
): { bucket: string; key: string; versionId?: string }[] {
  if ('Records' in event) {
    return event.Records.filter((r) => r.eventName?.startsWith('ObjectCreated:') ?? true).map((r) => ({
      bucket: r.s3.bucket.name,
      key: objectKeyOf(r),
      ...(r.s3.object.versionId ? { versionId: r.s3.object.versionId } : {}),
    }));
  }
  if (event['detail-type'] === 'Object Created' && event.detail?.object?.key) {
    const versionId = event.detail.object['version-id'];
    return [
      { bucket: event.detail.bucket.name, key: event.detail.object.key, ...(versionId ? { versionId } : {}) },
    ];
  }
  return [];
}
