import { createHash } from 'node:crypto';
import { deflateRawSync, constants as zlib } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import PDFKit from 'pdfkit';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { inspectUpload } from '../../functions/adapters/file-inspector.ts';

// Every sample is made here from its format's rules, so no binary fixture sits in the repository.

const MB = 1024 * 1024;
const asPdf = { declaredType: 'application/pdf', maxBytes: 20 * MB };
const asPng = { declaredType: 'image/png', maxBytes: 20 * MB };
const asJpeg = { declaredType: 'image/jpeg', maxBytes: 20 * MB };
const asOfd = { declaredType: 'application/ofd', maxBytes: 20 * MB };
const ONLY_ACCEPTED = '仅接受 PDF、JPEG、PNG、OFD。';

async function onePagePdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.addPage([595, 842]).drawText('Paired assistance agreement 2022', { x: 50, y: 780, size: 14 });
  return document.save();
}

/** A PDF written by hand, for page trees and streams pdf-lib would never write itself. */
function handWrittenPdf(objects: (string | Uint8Array)[]): Uint8Array {
  const parts = objects.map((body, index) =>
    Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), Buffer.from(body), Buffer.from('\nendobj\n')]),
  );
  return Buffer.concat([
    Buffer.from('%PDF-1.7\n'),
    ...parts,
    Buffer.from('trailer\n<</Root 1 0 R>>\n%%EOF\n'),
  ]);
}

function png(): Uint8Array {
  const image = new PNG({ width: 4, height: 4 });
  image.data.fill(200);
  return PNG.sync.write(image);
}

/**
 * The smallest baseline JPEG: one 8-bit grey pixel; a flat quantisation table; DC and AC Huffman tables
 * of a single one-bit code each; scan data 0b0 (DC difference 0), 0b0 (end of block), padded with ones.
 */
const JPEG = Buffer.from(
  [
    'ffd8',
    `ffdb 0043 00 ${'01'.repeat(64)}`,
    'ffc0 000b 08 0001 0001 01 01 11 00',
    `ffc4 0014 00 01 ${'00'.repeat(15)} 00`,
    `ffc4 0014 10 01 ${'00'.repeat(15)} 00`,
    'ffda 0008 01 01 00 00 3f 00',
    '3f',
    'ffd9',
  ]
    .join('')
    .replaceAll(' ', ''),
  'hex',
);

const OFD_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">
  <ofd:DocBody>
    <ofd:DocInfo><ofd:DocID>6a1f0c3e</ofd:DocID><ofd:Title>2022 年度帮扶工作报告</ofd:Title></ofd:DocInfo>
    <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>
  </ofd:DocBody>
</ofd:OFD>`;

/** An OFD package: a ZIP with OFD.xml at its root and the document beside it (GB/T 33190). */
function ofd(rootName = 'OFD.xml', content = OFD_XML): Uint8Array {
  return zipSync({
    [rootName]: strToU8(content),
    'Doc_0/Document.xml': strToU8('<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>'),
    'Doc_0/Pages/Page_0/Content.xml': strToU8('<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"/>'),
  });
}

/** What Word writes first: the content types that make a ZIP a .docx. */
function docx(): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    'word/document.xml': strToU8('<w:document/>'),
  });
}

async function problemOf(bytes: Uint8Array, expect: { declaredType: string; maxBytes: number }) {
  const result = await inspectUpload(bytes, expect);
  if (result.ok) throw new Error(`expected a refusal, got ${result.detectedType}`);
  return result.problem;
}

describe('inspectUpload accepts the four formats by their content', () => {
  it('accepts a one-page PDF and returns its sha256 and size', async () => {
    const bytes = await onePagePdf();

    const result = await inspectUpload(bytes, asPdf);

    expect(result).toEqual({
      ok: true,
      detectedType: 'application/pdf',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
    });
  });

  it('accepts a PNG declared as image/png', async () => {
    expect(await inspectUpload(png(), asPng)).toMatchObject({ ok: true, detectedType: 'image/png' });
  });

  it.each(['image/jpeg', 'image/jpg', 'IMAGE/JPEG'])(
    'accepts a baseline JPEG declared as %s',
    async (declared) => {
      expect(await inspectUpload(JPEG, { declaredType: declared, maxBytes: MB })).toMatchObject({
        ok: true,
        detectedType: 'image/jpeg',
      });
    },
  );

  it.each(['OFD.xml', 'ofd.xml'])('accepts an OFD package whose root holds %s', async (rootName) => {
    expect(await inspectUpload(ofd(rootName), asOfd)).toMatchObject({
      ok: true,
      detectedType: 'application/ofd',
    });
  });
});

describe('inspectUpload refuses by size', () => {
  it('refuses an empty file', async () => {
    expect(await inspectUpload(new Uint8Array(), asPdf)).toMatchObject({
      ok: false,
      size: 0,
      sha256: createHash('sha256').digest('hex'),
      problem: { code: 'empty', message: '文件为空，请重新选择文件上传。' },
    });
  });

  it('refuses a file over the limit, giving both sizes in MB with one decimal', async () => {
    const problem = await problemOf(new Uint8Array(1.5 * MB), {
      declaredType: 'application/pdf',
      maxBytes: MB,
    });

    expect(problem).toEqual({ code: 'too-large', message: '文件大小 1.5 MB，超过 1.0 MB 的上限。' });
  });

  it('accepts a file of exactly the limit', async () => {
    const bytes = await onePagePdf();

    expect(
      await inspectUpload(bytes, { declaredType: 'application/pdf', maxBytes: bytes.length }),
    ).toMatchObject({
      ok: true,
    });
  });
});

describe('inspectUpload refuses content that is not an accepted type, naming what it is', () => {
  it.each([
    ['a Word document renamed .ofd', docx(), asOfd, `检测到的文件类型为 Word 文档（docx），${ONLY_ACCEPTED}`],
    [
      'a ZIP without OFD.xml',
      zipSync({ 'report.pdf': strToU8('%PDF-1.7') }),
      asOfd,
      `检测到的文件类型为 ZIP 压缩包，${ONLY_ACCEPTED}`,
    ],
    [
      'a ZIP whose OFD.xml is inside a folder, not at the root',
      zipSync({ 'report/OFD.xml': strToU8(OFD_XML) }),
      asOfd,
      `检测到的文件类型为 ZIP 压缩包，${ONLY_ACCEPTED}`,
    ],
    [
      'a Windows program renamed .pdf',
      Buffer.concat([Buffer.from('MZ'), Buffer.alloc(254)]),
      asPdf,
      `检测到的文件类型为 Windows 可执行程序（exe），${ONLY_ACCEPTED}`,
    ],
    [
      'a GIF renamed .png',
      Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      asPng,
      '检测到的文件类型为 GIF 图片',
    ],
    [
      'a text file renamed .pdf',
      strToU8('2022 年度帮扶工作总结：派驻人员 5 名。'),
      asPdf,
      `无法识别的文件类型，${ONLY_ACCEPTED}`,
    ],
  ])('refuses %s', async (_case, bytes, expect_, message) => {
    const problem = await problemOf(bytes, expect_);

    expect(problem.code).toBe('unsupported-type');
    expect(problem.message).toContain(message);
  });

  it('reports the detected media type of a refused file', async () => {
    expect(await inspectUpload(docx(), asOfd)).toMatchObject({
      ok: false,
      detectedType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
  });
});

describe('inspectUpload refuses an accepted type that differs from the declared one', () => {
  it('refuses a PNG declared as PDF, naming both', async () => {
    expect(await problemOf(png(), asPdf)).toEqual({
      code: 'type-mismatch',
      message: '文件内容为 PNG 图片，但文件名/类型声明为 PDF，请确认后重新上传。',
    });
  });

  it('refuses an OFD declared as PDF', async () => {
    expect((await problemOf(ofd(), asPdf)).message).toBe(
      '文件内容为 OFD 文档，但文件名/类型声明为 PDF，请确认后重新上传。',
    );
  });

  it('refuses a PDF declared as JPEG', async () => {
    expect((await problemOf(await onePagePdf(), asJpeg)).message).toBe(
      '文件内容为 PDF 文档，但文件名/类型声明为 JPEG，请确认后重新上传。',
    );
  });
});

describe('inspectUpload refuses a PDF that does not open', () => {
  const UNREADABLE_PDF = {
    code: 'unreadable-pdf',
    message: 'PDF 文件已损坏或无法解析，请重新扫描或导出后上传。',
  };

  it('refuses a PDF header followed by garbage', async () => {
    expect(await problemOf(strToU8('%PDF-1.7\n\u00e2\u00e3 1 0 obj garbage << /Type'), asPdf)).toEqual(
      UNREADABLE_PDF,
    );
  });

  it('refuses a PDF cut off halfway through the upload', async () => {
    const bytes = await onePagePdf();

    expect(await problemOf(bytes.subarray(0, bytes.length / 2), asPdf)).toEqual(UNREADABLE_PDF);
  });

  it('refuses a PDF whose page tree has no page', async () => {
    const bytes = handWrittenPdf(['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[]/Count 0>>']);

    expect(await problemOf(bytes, asPdf)).toEqual(UNREADABLE_PDF);
  });

  it('refuses a PDF whose page tree loops back on itself', async () => {
    const bytes = handWrittenPdf(['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[2 0 R]/Count 1>>']);

    expect(await problemOf(bytes, asPdf)).toEqual(UNREADABLE_PDF);
  });

  it('refuses a 1 MB PDF whose object stream would inflate to 1 GB, stopping at the limit', async () => {
    // Full flushes leave each 1 MB chunk's deflate blocks byte-aligned and self-contained, so copies
    // chain into one stream: zlib header, 1024 chunks, then an empty final block.
    const chunk = deflateRawSync(Buffer.alloc(MB, 0x20), { finishFlush: zlib.Z_FULL_FLUSH });
    const bomb = Buffer.concat([
      Buffer.from([0x78, 0x9c]),
      ...Array(1024).fill(chunk),
      Buffer.from([0x03, 0x00]),
    ]);
    const objectStream = Buffer.concat([
      Buffer.from(`<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length ${bomb.length}>>\nstream\n`),
      bomb,
      Buffer.from('\nendstream'),
    ]);
    const bytes = handWrittenPdf(['<</Type/Catalog/Pages 3 0 R>>', objectStream]);

    const started = performance.now();
    expect(await problemOf(bytes, asPdf)).toEqual(UNREADABLE_PDF);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('finds the page of a 2 KB PDF whose 40 levels of /Kids share one subtree, without 2^40 visits', async () => {
    const levels = Array.from(
      { length: 40 },
      (_, level) => `<</Type/Pages/Kids[${level + 3} 0 R ${level + 3} 0 R]/Count 1>>`,
    );
    const bytes = handWrittenPdf([
      '<</Type/Catalog/Pages 2 0 R>>',
      ...levels,
      '<</Type/Page/Parent 41 0 R/MediaBox[0 0 595 842]>>',
    ]);

    const started = performance.now();
    expect(await inspectUpload(bytes, asPdf)).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('inspectUpload refuses an OFD that does not open', () => {
  const UNREADABLE_OFD = { code: 'unreadable-ofd', message: 'OFD 文件已损坏或无法解析，请重新导出后上传。' };

  it('refuses an OFD whose OFD.xml is empty', async () => {
    expect(await problemOf(ofd('OFD.xml', ''), asOfd)).toEqual(UNREADABLE_OFD);
  });

  it('refuses an OFD whose OFD.xml does not inflate', async () => {
    const bytes = ofd();
    // OFD.xml is the first entry: its deflate data starts after the 30-byte local header and the name.
    // 0xff opens a block of the reserved type 3.
    bytes[30 + 'OFD.xml'.length] = 0xff;

    expect(await problemOf(bytes, asOfd)).toEqual(UNREADABLE_OFD);
  });

  it('refuses an OFD cut off before its ZIP directory, as a damaged OFD rather than a ZIP', async () => {
    const bytes = ofd();

    expect(await problemOf(bytes.subarray(0, bytes.length - 40), asOfd)).toEqual(UNREADABLE_OFD);
  });
});

describe('inspectUpload and encrypted PDFs', () => {
  const PASSWORD_PROTECTED = {
    code: 'password-protected-pdf',
    message:
      'PDF 文件设置了打开密码，卫生健康委工作人员无法打开。请取消打开密码（可保留打印、编辑限制）后重新导出上传。',
  };

  /** A one-page PDF as pdfkit writes it, encrypted by the revision its PDF version implies. */
  function pdfkitPdf(options: Record<string, unknown>): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const document = new PDFKit(options);
      const chunks: Buffer[] = [];
      document.on('data', (chunk: Buffer) => chunks.push(chunk));
      document.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      document.on('error', reject);
      document.text('2022 年度对口帮扶协议书（扫描件）');
      document.end();
    });
  }

  // pdfkit: 1.3 → RC4 40-bit (revision 2), 1.4 → RC4 128-bit (3), 1.7 → AES-128 (4), 1.7ext3 → AES-256 (5).
  const VERSIONS = [
    ['1.3', 2],
    ['1.4', 3],
    ['1.7', 4],
    ['1.7ext3', 5],
  ] as const;

  it.each(VERSIONS)(
    'accepts a PDF %s (revision %i) with only an owner password: it opens for anyone',
    async (pdfVersion) => {
      const bytes = await pdfkitPdf({
        pdfVersion,
        ownerPassword: 'owner-only',
        permissions: { modifying: false },
      });
      expect(Buffer.from(bytes).includes('/Encrypt')).toBe(true);
      expect(await inspectUpload(bytes, asPdf)).toMatchObject({ ok: true, detectedType: 'application/pdf' });
    },
  );

  it.each(VERSIONS)(
    'refuses a PDF %s (revision %i) that needs a password to open, saying why',
    async (pdfVersion) => {
      const bytes = await pdfkitPdf({ pdfVersion, userPassword: '123456', ownerPassword: 'owner' });
      expect(await problemOf(bytes, asPdf)).toEqual(PASSWORD_PROTECTED);
    },
  );

  /**
   * Revision 6 (PDF 2.0), which pdfkit does not write: the /U values of pdf.js's test suite for a file
   * that opens with the empty password and one that needs "user" (test/unit/crypto_spec.js).
   */
  async function revision6Pdf(userHex: string): Promise<Uint8Array> {
    const document = await PDFDocument.create();
    document.addPage([595, 842]);
    const { context } = document;
    context.trailerInfo.Encrypt = context.obj({
      Filter: 'Standard',
      V: 5,
      R: 6,
      Length: 256,
      P: -1084,
      O: PDFHexString.of('00'.repeat(48)),
      U: PDFHexString.of(userHex),
    });
    return document.save({ useObjectStreams: false });
  }

  it('accepts a revision 6 PDF that opens with the empty password, refuses one that needs a password', async () => {
    const blank = await revision6Pdf(
      '1aa9dc913883936b295b1137b136dbe88efe28e589d40ead123b7d4e5f3666657a8b471805594f687d5a48a35a87172a',
    );
    expect(await inspectUpload(blank, asPdf)).toMatchObject({ ok: true });
    const protectedPdf = await revision6Pdf(
      '5ee6cd4ba663fa4cdb801155391121a4962e67b0a09cbbe9a6dfa3fd93eb5fb853f59265c6f722c6bf0b105eedd814af',
    );
    expect(await problemOf(protectedPdf, asPdf)).toEqual(PASSWORD_PROTECTED);
  });

  it('refuses a PDF encrypted for certificates (public-key security handler), which no password opens', async () => {
    const document = await PDFDocument.create();
    document.addPage([595, 842]);
    document.context.trailerInfo.Encrypt = document.context.obj({ Filter: 'Adobe.PubSec', V: 4, R: 4 });
    expect(await problemOf(await document.save({ useObjectStreams: false }), asPdf)).toEqual({
      code: 'password-protected-pdf',
      message:
        'PDF 文件使用了证书或专用方式加密，卫生健康委工作人员无法打开。请导出未加密的 PDF 后重新上传。',
    });
  });
});
