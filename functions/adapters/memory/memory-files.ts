/**
 * The in-memory twin of the files bucket: the FileStore ingest reads and writes, and the
 * DocumentFiles generated PDFs go to, over one map of objects, with S3's semantics where ingest relies
 * on them: an ETag per content (the MD5 of the bytes, quoted, as S3 gives it for a single-part
 * upload), a `write` that leaves an existing object in place, a `remove` only while the object is the
 * one with the ETag given, and a `read` that leaves out content over `maxBytes`.
 *
 * One object per key, as in the unversioned local bucket: a version id is neither issued nor checked.
 */
import { createHash } from 'node:crypto';
import type { DocumentFiles, FileStore, StoredObject } from '../../use-cases/ports.ts';

/** What ingest and the documents read back of an object (its content type and file name are not). */
interface MemoryObject {
  bytes: Uint8Array;
  etag: string;
  lastModified: Date;
}

export class MemoryFiles implements FileStore, DocumentFiles {
  private readonly objects = new Map<string, MemoryObject>();

  /** `clock` stamps each object as it arrives (S3's clock, which ingest compares with a POST's expiry). */
  constructor(private readonly clock: () => Date = () => new Date()) {}

  /**
   * An object arriving from outside the code under test, as a browser's presigned POST or a plain PUT
   * does: it replaces whatever is at the key. Returns its ETag.
   */
  async upload(bucket: string, key: string, bytes: Uint8Array): Promise<{ etag: string }> {
    const object = this.objectOf(bytes);
    this.objects.set(path(bucket, key), object);
    return { etag: object.etag };
  }

  /** The keys stored under `prefix`, in order. */
  async keysUnder(bucket: string, prefix: string): Promise<string[]> {
    const start = path(bucket, prefix);
    return [...this.objects.keys()]
      .filter((p) => p.startsWith(start))
      .map((p) => p.slice(bucket.length + 1))
      .sort();
  }

  async read(
    bucket: string,
    key: string,
    options: { versionId?: string; maxBytes: number },
  ): Promise<StoredObject | undefined> {
    const object = this.objects.get(path(bucket, key));
    if (!object) return undefined;
    const identity = {
      size: object.bytes.length,
      etag: object.etag,
      lastModified: new Date(object.lastModified),
    };
    return object.bytes.length > options.maxBytes ? identity : { ...identity, bytes: object.bytes.slice() };
  }

  async write(bucket: string, key: string, bytes: Uint8Array): Promise<void> {
    if (this.objects.has(path(bucket, key))) return;
    this.objects.set(path(bucket, key), this.objectOf(bytes));
  }

  async remove(bucket: string, key: string, etag: string): Promise<void> {
    if (this.objects.get(path(bucket, key))?.etag === etag) this.objects.delete(path(bucket, key));
  }

  /** A generated document: stored whatever was at the key, as PutObject does. */
  async put(bucket: string, key: string, body: Uint8Array): Promise<void> {
    await this.upload(bucket, key, body);
  }

  /** A URL naming the object and the file name it downloads as; not fetchable (no server behind it). */
  async presignGet(bucket: string, key: string, filename: string, expiresInSeconds: number): Promise<string> {
    const query = new URLSearchParams({ filename, expiresIn: String(expiresInSeconds) });
    return `memory://${bucket}/${key.split('/').map(encodeURIComponent).join('/')}?${query}`;
  }

  private objectOf(bytes: Uint8Array): MemoryObject {
    return {
      bytes: bytes.slice(),
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      lastModified: this.clock(),
    };
  }
}

const path = (bucket: string, key: string) => `${bucket}/${key}`;
