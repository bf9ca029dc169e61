/** The S3 client for uploads, submissions and documents. */
import { S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '../config.ts';
import { clientBase } from './common.ts';

export function s3Client(config: AppConfig): S3Client {
  return new S3Client({
    ...clientBase(config),
    endpoint: config.endpoints.s3,
    // Path-style addressing is what the local S3 stand-in speaks; real S3 needs virtual-hosted style.
    forcePathStyle: Boolean(config.endpoints.s3),
    // The checksums the SDK adds by default end up in presigned upload URLs, which S3 then refuses
    // from a browser: compute them only where an operation requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
