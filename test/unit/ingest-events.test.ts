import { describe, expect, it } from 'vitest';
import { objectsOf } from '../../functions/handlers/events.ts';

describe('objects named by an ingest event', () => {
  it('decodes S3 notification keys (URL-encoded, spaces as +)', () => {
    const event = {
      Records: [
        {
          eventName: 'ObjectCreated:Post',
          s3: { bucket: { name: 'files' }, object: { key: 'incoming/fj-2021/a%2Bb/My+File.pdf' } },
        },
        {
          eventName: 'ObjectRemoved:Delete',
          s3: { bucket: { name: 'files' }, object: { key: 'incoming/x' } },
        },
      ],
    } as never;
    expect(objectsOf(event)).toEqual([{ bucket: 'files', key: 'incoming/fj-2021/a+b/My File.pdf' }]);
  });

  it('takes EventBridge Object Created keys as they are', () => {
    const event = {
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'files' }, object: { key: 'incoming/fj-2021/p/agreement-2022/slot-1234' } },
    } as const;
    expect(objectsOf(event)).toEqual([
      { bucket: 'files', key: 'incoming/fj-2021/p/agreement-2022/slot-1234' },
    ]);
  });

  it('carries the version a versioned bucket names, so ingest reads that very object', () => {
    const bridged = {
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'files' }, object: { key: 'incoming/k', 'version-id': 'v-42' } },
    } as const;
    const notified = {
      Records: [
        {
          eventName: 'ObjectCreated:Post',
          s3: { bucket: { name: 'files' }, object: { key: 'incoming/k', versionId: 'v-43' } },
        },
      ],
    } as never;
    expect(objectsOf(bridged)).toEqual([{ bucket: 'files', key: 'incoming/k', versionId: 'v-42' }]);
    expect(objectsOf(notified)).toEqual([{ bucket: 'files', key: 'incoming/k', versionId: 'v-43' }]);
  });
});
