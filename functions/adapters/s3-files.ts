/** Objects in the files bucket, and presigned POSTs that let a browser upload straight to it. */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentFiles } from '../use-cases/documents.ts';
import type { FileStore } from '../use-cases/ingest-upload.ts';
import type { PresignedPost } from '../use-cases/uploads.ts';

export function s3Files(s3: S3Client): FileStore {
  return {
    async size(bucket, key) {
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.ContentLength ?? 0;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') {
          return undefined;
        }
        throw error;
      }
    },
    async read(bucket, key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!object.Body) throw new Error(`object ${key} has no body`);
      return object.Body.transformToByteArray();
    },
    async copy(bucket, fromKey, toKey) {
      const result = await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: toKey,
          CopySource: `${bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
      return result.VersionId ? { versionId: result.VersionId } : {};
    },
    async remove(bucket, key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}

/**
 * A POST policy the browser cannot stretch: the exact key, the declared type, 1 byte to the size
 * limit (only a POST policy can cap size), the redirect back to our page, and a short expiry.
 */
export function presignPost(s3: S3Client, bucket: string) {
  return async (input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
    redirectUrl: string;
  }): Promise<PresignedPost> => {
    const { url, fields } = await createPresignedPost(s3, {
      Bucket: bucket,
      Key: input.key,
      Conditions: [
        ['content-length-range', 1, input.maxBytes],
        ['eq', '$Content-Type', input.contentType],
        ['eq', '$success_action_redirect', input.redirectUrl],
      ],
      Fields: { 'Content-Type': input.contentType, success_action_redirect: input.redirectUrl },
      Expires: input.expiresInSeconds,
    });
    return { url, fields };
  };
}

/** Generated PDFs: stored private, served by a presigned GET that names the file for the browser. */
export function s3Documents(s3: S3Client): DocumentFiles {
  return {
    async put(bucket, key, body, contentType, filename) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentDisposition: contentDisposition(filename),
        }),
      );
    },
    presignGet(bucket, key, filename, expiresInSeconds) {
      return getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ResponseContentDisposition: contentDisposition(filename),
          ResponseContentType: 'application/pdf',
        }),
        { expiresIn: expiresInSeconds },
      );
    },
  };
}

function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
