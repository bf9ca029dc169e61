/** Objects in the files bucket, and presigned POSTs that let a browser upload straight to it. */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentFiles, FileStore, PresignedPost, SubmissionFiles } from '../use-cases/ports.ts';

export function s3Files(s3: S3Client): FileStore {
  return {
    async read(bucket, key, { versionId, maxBytes }) {
      let object: GetObjectCommandOutput;
      try {
        object = await s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
        );
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      const size = object.ContentLength ?? 0;
      const identity = {
        size,
        etag: object.ETag ?? '',
        lastModified: object.LastModified ?? new Date(0),
        ...(object.VersionId ? { versionId: object.VersionId } : {}),
      };
      if (!object.Body) throw new Error(`object ${key} has no body`);
      if (size > maxBytes) {
        // Too large to keep: its size is all ingest needs, so the body is not downloaded.
        (object.Body as { destroy?: () => void }).destroy?.();
        return identity;
      }
      return { ...identity, bytes: await object.Body.transformToByteArray() };
    },
    async write(bucket, key, bytes, contentType) {
      try {
        // The key names one slot: a write that finds it taken is a repeat of the same bytes.
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentType: contentType,
            IfNoneMatch: '*',
          }),
        );
      } catch (error) {
        const status = statusOf(error);
        if (status !== 412 && status !== 409) throw error;
      }
    },
    async remove(bucket, key, etag) {
      // Only the object that was handled: a newer one at the key stays for its own event. S3 checks the
      // ETag itself; the HEAD first covers stand-ins that ignore If-Match on DELETE.
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        if (head.ETag !== etag) return;
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: etag }));
      } catch (error) {
        if (isMissing(error) || statusOf(error) === 412) return;
        throw error;
      }
    },
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isMissing(error: unknown): boolean {
  const name = (error as Error).name;
  return statusOf(error) === 404 || name === 'NotFound' || name === 'NoSuchKey';
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
  }): Promise<PresignedPost & { expiresAt: Date }> => {
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
    // The expiry S3 enforces is the policy's own, on the signer's clock (never a simulated one).
    const policy = JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as {
      expiration: string;
    };
    return { url, fields, expiresAt: new Date(policy.expiration) };
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

/** Submitted files for staff: the stored version, with the type detected on ingest and its own name. */
export function s3SubmissionFiles(s3: S3Client): SubmissionFiles {
  return {
    presignGet({ bucket, key, versionId }, { filename, contentType }, expiresInSeconds) {
      return getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
          ResponseContentDisposition: contentDisposition(filename),
          ResponseContentType: contentType,
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
