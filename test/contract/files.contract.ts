/**
 * What the files bucket must do for ingest and the documents, asserted the same way against the
 * in-memory twin (test/fast/) and S3 on the embedded stack (test/integration/).
 */
import { describe, expect, it } from 'vitest';
import type { DocumentFiles, FileStore } from '../../functions/use-cases/ports.ts';

export interface FilesUnderTest {
  files: FileStore;
  documents: DocumentFiles;
  /** An empty bucket for this case. */
  bucket: string;
  /** An object arriving from outside, as a browser's presigned POST does: it replaces what is at the key. */
  upload(key: string, bytes: Uint8Array): Promise<void>;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);
const textOf = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);
const ALL = { maxBytes: 1024 * 1024 };

export function fileStoreContract(make: () => Promise<FilesUnderTest>) {
  describe('FileStore', () => {
    it('reads back what was written: its bytes, size, ETag and when it arrived', async () => {
      const { files, bucket } = await make();
      const before = Date.now();
      await files.write(bucket, 'submissions/a.pdf', bytesOf('%PDF-1.7 first'), 'application/pdf');
      const read = await files.read(bucket, 'submissions/a.pdf', ALL);
      expect(textOf(read?.bytes)).toBe('%PDF-1.7 first');
      expect(read?.size).toBe(14);
      expect(read?.etag).toMatch(/\S/);
      // S3 stamps arrival in whole seconds.
      expect(read?.lastModified.getTime()).toBeGreaterThan(before - 2000);
    });

    it('writes a key once: a second write leaves the first bytes in place', async () => {
      const { files, bucket } = await make();
      await files.write(bucket, 'submissions/b.pdf', bytesOf('first'), 'application/pdf');
      const first = await files.read(bucket, 'submissions/b.pdf', ALL);
      await files.write(bucket, 'submissions/b.pdf', bytesOf('second, longer'), 'application/pdf');
      const after = await files.read(bucket, 'submissions/b.pdf', ALL);
      expect(textOf(after?.bytes)).toBe('first');
      expect(after?.etag).toBe(first?.etag);
    });

    it('reads nothing where nothing is stored', async () => {
      const { files, bucket } = await make();
      expect(await files.read(bucket, 'incoming/none', ALL)).toBeUndefined();
    });

    it('leaves out the content of an object larger than asked for, but tells its size and ETag', async () => {
      const { files, bucket, upload } = await make();
      await upload('incoming/large', new Uint8Array(2048).fill(7));
      const read = await files.read(bucket, 'incoming/large', { maxBytes: 2047 });
      expect(read).toMatchObject({ size: 2048 });
      expect(read?.etag).toMatch(/\S/);
      expect(read?.bytes).toBeUndefined();
      expect((await files.read(bucket, 'incoming/large', { maxBytes: 2048 }))?.bytes).toHaveLength(2048);
    });

    it('gives an object posted again to the same key another ETag', async () => {
      const { files, bucket, upload } = await make();
      await upload('incoming/slot', bytesOf('first object'));
      const first = await files.read(bucket, 'incoming/slot', ALL);
      await upload('incoming/slot', bytesOf('second object'));
      const second = await files.read(bucket, 'incoming/slot', ALL);
      expect(textOf(second?.bytes)).toBe('second object');
      expect(second?.etag).not.toBe(first?.etag);
    });

    it('removes the object while it is the one with the ETag given', async () => {
      const { files, bucket, upload } = await make();
      await upload('incoming/done', bytesOf('handled'));
      const read = await files.read(bucket, 'incoming/done', ALL);
      await files.remove(bucket, 'incoming/done', read?.etag as string);
      expect(await files.read(bucket, 'incoming/done', ALL)).toBeUndefined();
    });

    it('keeps a newer object posted to the key after the one that was handled', async () => {
      const { files, bucket, upload } = await make();
      await upload('incoming/raced', bytesOf('handled'));
      const handled = await files.read(bucket, 'incoming/raced', ALL);
      await upload('incoming/raced', bytesOf('posted since'));
      await files.remove(bucket, 'incoming/raced', handled?.etag as string);
      expect(textOf((await files.read(bucket, 'incoming/raced', ALL))?.bytes)).toBe('posted since');
    });

    it('removing an object that is gone does nothing', async () => {
      const { files, bucket } = await make();
      await expect(files.remove(bucket, 'incoming/gone', '"0123"')).resolves.toBeUndefined();
    });
  });

  describe('DocumentFiles', () => {
    it('stores a PDF readable at its key, and presigns a download naming the key', async () => {
      const { files, documents, bucket } = await make();
      const pdf = bytesOf('%PDF-1.7 a status document');
      await documents.put(
        bucket,
        'documents/fj-2021/status.pdf',
        pdf,
        'application/pdf',
        '协议书提交情况.pdf',
      );
      expect(textOf((await files.read(bucket, 'documents/fj-2021/status.pdf', ALL))?.bytes)).toBe(
        '%PDF-1.7 a status document',
      );
      const url = await documents.presignGet(
        bucket,
        'documents/fj-2021/status.pdf',
        '协议书提交情况.pdf',
        300,
      );
      expect(url).toContain('documents/fj-2021/status.pdf');
    });
  });
}
