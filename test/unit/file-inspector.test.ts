import { zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { inspectUpload } from '../../functions/adapters/file-inspector.ts';

const MB = 1024 * 1024;
const expectPdf = { declaredType: 'application/pdf', maxBytes: 20 * MB };

async function pdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('scan');
  return doc.save();
}
function png(): Uint8Array {
  const image = new PNG({ width: 2, height: 2 });
  image.data.fill(255);
  return PNG.sync.write(image);
}
/** A 1×1 baseline JPEG. */
const JPEG = Uint8Array.from(
  Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
    'base64',
  ),
);
const ofd = (entries: Record<string, Uint8Array>) => zipSync(entries);
const text = (s: string) => new TextEncoder().encode(s);

describe('inspecting an upload by its content', () => {
  it('accepts a real PDF and gives its sha256 and size', async () => {
    const bytes = await pdf();
    const result = await inspectUpload(bytes, expectPdf);
    expect(result).toMatchObject({ ok: true, detectedType: 'application/pdf', size: bytes.length });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a PNG and a JPEG declared as such', async () => {
    expect(await inspectUpload(png(), { declaredType: 'image/png', maxBytes: MB })).toMatchObject({
      ok: true,
    });
    expect(await inspectUpload(JPEG, { declaredType: 'image/jpg', maxBytes: MB })).toMatchObject({
      ok: true,
      detectedType: 'image/jpeg',
    });
  });

  it('accepts an OFD package (a ZIP with OFD.xml at its root)', async () => {
    const bytes = ofd({
      'OFD.xml': text('<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'),
      'Doc_0/Document.xml': text('<x/>'),
    });
    expect(await inspectUpload(bytes, { declaredType: 'application/ofd', maxBytes: MB })).toMatchObject({
      ok: true,
      detectedType: 'application/ofd',
    });
  });

  it.each([
    ['an empty file', new Uint8Array(), 'empty', '文件为空'],
    [
      'a ZIP that is not an OFD package',
      ofd({ 'word/document.xml': text('<w/>') }),
      'unsupported-type',
      '仅接受 PDF、JPEG、PNG、OFD',
    ],
    ['a text file named .pdf', text('just some text'), 'unsupported-type', '无法识别的文件类型'],
    ['a broken PDF', text('%PDF-1.7\n1 0 obj garbage'), 'unreadable-pdf', 'PDF 文件已损坏'],
  ])('refuses %s', async (_case, bytes, code, message) => {
    const result = await inspectUpload(bytes, expectPdf);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe(code);
      expect(result.problem.message).toContain(message);
    }
  });

  it('refuses a PNG declared as PDF, naming both', async () => {
    const result = await inspectUpload(png(), expectPdf);
    expect(result).toMatchObject({ ok: false, problem: { code: 'type-mismatch' } });
    if (!result.ok) expect(result.problem.message).toContain('文件内容为 PNG，但文件名/类型声明为 PDF');
  });

  it('refuses a file over the limit, with both sizes in MB', async () => {
    const result = await inspectUpload(new Uint8Array(3 * MB), {
      declaredType: 'application/pdf',
      maxBytes: 2 * MB,
    });
    expect(result).toMatchObject({
      ok: false,
      problem: { code: 'too-large', message: '文件大小 3.0 MB，超过 2.0 MB 的上限。' },
    });
  });
});
