/**
 * Checks an uploaded file by its content, never its name: not empty, within the size limit, a type
 * the plans accept (detected from magic bytes with file-type; OFD is a ZIP with OFD.xml at its root),
 * the same type the uploader declared, and for a PDF a document that parses with at least one page.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { PDFDocument } from 'pdf-lib';
import yauzl from 'yauzl';
import {
  ACCEPTED_TYPES,
  acceptedTypeOf,
  type InspectionResult,
  type UploadProblem,
} from '../domain/upload.ts';

const ACCEPTED_LABELS = ACCEPTED_TYPES.map((t) => t.label).join('、');

/** Names people recognise for what was detected, so the message says what the file really is. */
const KNOWN_KINDS: Record<string, string> = {
  docx: 'Word 文档（docx）',
  doc: 'Word 文档（doc）',
  cfb: 'Office 旧版文档（doc/xls）',
  xlsx: 'Excel 表格（xlsx）',
  pptx: 'PowerPoint 演示文稿（pptx）',
  zip: 'ZIP 压缩包',
  rar: 'RAR 压缩包',
  '7z': '7z 压缩包',
  exe: '可执行程序（exe）',
  gif: 'GIF 图片',
  webp: 'WebP 图片',
  heic: 'HEIC 图片',
  bmp: 'BMP 图片',
  tif: 'TIFF 图片',
};

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function inspectUpload(
  bytes: Uint8Array,
  expect: { declaredType: string; maxBytes: number },
): Promise<InspectionResult> {
  const size = bytes.length;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const refuse = (problem: UploadProblem, detectedType?: string): InspectionResult => ({
    ok: false,
    problem,
    sha256,
    size,
    ...(detectedType ? { detectedType } : {}),
  });
  if (size === 0) return refuse({ code: 'empty', message: '文件为空，请重新选择文件上传。' });
  if (size > expect.maxBytes) {
    return refuse({
      code: 'too-large',
      message: `文件大小 ${mb(size)}，超过 ${mb(expect.maxBytes)} 的上限。`,
    });
  }

  const detected = await fileTypeFromBuffer(bytes).catch(() => undefined);
  let mime = detected?.mime as string | undefined;
  if (detected?.ext === 'zip' || mime === 'application/zip') {
    const ofd = await ofdEntry(bytes);
    if (ofd === 'readable') mime = 'application/ofd';
    else if (ofd === 'empty') {
      return refuse(
        { code: 'unreadable-ofd', message: 'OFD 文件已损坏或无法解析，请重新导出后上传。' },
        'application/ofd',
      );
    }
  }
  const accepted = mime ? acceptedTypeOf(mime) : undefined;
  if (!accepted || !mime) {
    const kind = detected ? (KNOWN_KINDS[detected.ext] ?? `${detected.ext} 文件`) : '无法识别的文件类型';
    return refuse(
      { code: 'unsupported-type', message: `检测到的文件类型为${kind}，仅接受 ${ACCEPTED_LABELS} 文件。` },
      mime,
    );
  }
  const declared = expect.declaredType === 'image/jpg' ? 'image/jpeg' : expect.declaredType;
  if (declared !== accepted.mime) {
    const declaredLabel = acceptedTypeOf(declared)?.label ?? declared;
    return refuse(
      {
        code: 'type-mismatch',
        message: `文件内容为 ${accepted.label}，但文件名/类型声明为 ${declaredLabel}，请确认后重新上传。`,
      },
      accepted.mime,
    );
  }
  if (accepted.mime === 'application/pdf' && !(await pdfParses(bytes))) {
    return refuse(
      { code: 'unreadable-pdf', message: 'PDF 文件已损坏或无法解析，请重新扫描或导出后上传。' },
      accepted.mime,
    );
  }
  return { ok: true, detectedType: accepted.mime, sha256, size };
}

async function pdfParses(bytes: Uint8Array): Promise<boolean> {
  try {
    const document = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    return document.getPageCount() > 0;
  } catch {
    return false;
  }
}

/** Whether a ZIP is an OFD package: `OFD.xml` at its root, and not empty. */
function ofdEntry(bytes: Uint8Array): Promise<'readable' | 'empty' | 'absent'> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return resolve('absent');
      let settled = false;
      const done = (value: 'readable' | 'empty' | 'absent') => {
        if (settled) return;
        settled = true;
        zip.close();
        resolve(value);
      };
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.toLowerCase() === 'ofd.xml')
          done(entry.uncompressedSize > 0 ? 'readable' : 'empty');
        else zip.readEntry();
      });
      zip.on('end', () => done('absent'));
      zip.on('error', () => done('absent'));
      zip.readEntry();
    });
  });
}
