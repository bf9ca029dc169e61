import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3SubmissionFiles } from '../../functions/adapters/s3-files.ts';

const s3 = new S3Client({
  region: 'cn-north-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  forcePathStyle: true,
  endpoint: 'http://127.0.0.1:9',
  requestChecksumCalculation: 'WHEN_REQUIRED',
});

describe('downloads of submitted files', () => {
  it('presign the stored version with its detected type and the uploader’s file name', async () => {
    const url = new URL(
      await s3SubmissionFiles(s3).presignGet(
        { bucket: 'files', key: 'submissions/fj-2021/x/1.jpg', versionId: 'v-7' },
        { filename: '协议书 "扫描".jpg', contentType: 'image/jpeg' },
        120,
      ),
    );
    expect(url.pathname).toBe('/files/submissions/fj-2021/x/1.jpg');
    expect(url.searchParams.get('versionId')).toBe('v-7');
    expect(url.searchParams.get('response-content-type')).toBe('image/jpeg');
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="___ ____.jpg"; filename*=UTF-8''${encodeURIComponent('协议书 "扫描".jpg')}`,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
  });
});
