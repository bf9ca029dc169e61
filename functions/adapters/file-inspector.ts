/**
 * Checks an uploaded file by its content, never its name: not empty, within the size limit, a type
 * the plans accept (detected from magic bytes with file-type; OFD is a ZIP with OFD.xml at its root),
 * the same type the uploader declared, and a document that opens: a PDF that parses with at least one
 * page and needs no password to open, an OFD whose OFD.xml can be read. Pure apart from CPU: no S3, no clock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { inflateRawSync, constants as zlib } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import {
  decodePDFRawStream,
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFObjectStreamParser,
  PDFPageTree,
  type PDFRawStream,
  PDFXRefStreamParser,
} from 'pdf-lib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import {
  ACCEPTED_TYPES,
  type AcceptedType,
  acceptedTypeOf,
  type InspectionResult,
  type UploadProblem,
} from '../domain/upload.ts';
import { fill } from '../domain/wording.ts';
import { type PdfProtection, pdfProtection } from './pdf-password.ts';

const words = labels.uploadProblems;
const ACCEPTED_LABELS = ACCEPTED_TYPES.map((t) => t.label).join(labels.listSeparator);
const OFD_MIME = 'application/ofd';

const unreadableOfd: UploadProblem = { code: 'unreadable-ofd', message: words.unreadableOfd };

/** What people call the content, by media type, for "文件内容为 PNG 图片". */
const CONTENT_NAMES: Record<string, string> = words.contentNames;

/**
 * Names people recognise for refused content, keyed by file-type's `ext`, so the message says what the
 * file really is. Each starts with Latin letters: the sentence puts a space before it.
 */
const REFUSED_KINDS: Record<string, string> = words.refusedKinds;

/** `20.0 MB`: both sizes in the too-large sentence, one decimal as the upload page shows them. */
function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Checks an upload's bytes against what the uploader declared:
 * 1. size: not empty, not over `maxBytes`;
 * 2. type from the content (magic bytes; a ZIP holding a root OFD.xml is an OFD), one of ACCEPTED_TYPES;
 * 3. the same type as `declaredType` (image/jpg counts as image/jpeg);
 * 4. the document opens: a PDF parses with a page and needs no password, an OFD's OFD.xml reads.
 * The sha256 and size are returned whatever the outcome, for the receipt or the rejection notice.
 */
export async function inspectUpload(
  bytes: Uint8Array,
  expect: { declaredType: string; maxBytes: number },
): Promise<InspectionResult> {
  const size = bytes.byteLength;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const refuse = (problem: UploadProblem, detectedType?: string): InspectionResult => ({
    ok: false,
    problem,
    sha256,
    size,
    ...(detectedType ? { detectedType } : {}),
  });

  if (size === 0) return refuse({ code: 'empty', message: words.empty });
  if (size > expect.maxBytes) {
    return refuse({
      code: 'too-large',
      message: fill(words.tooLarge, { size: megabytes(size), limit: megabytes(expect.maxBytes) }),
    });
  }

  const declared = normalisedMime(expect.declaredType);
  const detected = await fileTypeFromBuffer(bytes).catch(() => undefined);
  let ofdEntry: OfdEntry | undefined;
  if (detected?.ext === 'zip' || isZipLocalHeader(bytes)) {
    const pkg = await ofdPackageOf(bytes);
    // A ZIP too broken to list, sent as an OFD, is most likely a damaged OFD: say so rather than "ZIP".
    if (pkg === 'unlistable' && declared === OFD_MIME) return refuse(unreadableOfd, OFD_MIME);
    if (pkg === 'readable' || pkg === 'unreadable') ofdEntry = pkg;
  }
  const accepted = acceptedTypeOf(ofdEntry ? OFD_MIME : (detected?.mime ?? ''));
  if (!accepted) {
    const kind = detected
      ? (REFUSED_KINDS[detected.ext] ?? fill(words.otherKind, { ext: detected.ext.toUpperCase() }))
      : undefined;
    const message = kind
      ? fill(words.unsupportedType, { kind, types: ACCEPTED_LABELS })
      : fill(words.unrecognisedType, { types: ACCEPTED_LABELS });
    return refuse({ code: 'unsupported-type', message }, detected?.mime);
  }

  if (accepted.mime !== declared) return refuse(typeMismatch(accepted, declared), accepted.mime);
  if (accepted.mime === 'application/pdf') {
    const problem = PDF_PROBLEMS[await pdfOutcome(bytes)];
    if (problem) return refuse(problem, accepted.mime);
  }
  if (ofdEntry === 'unreadable') return refuse(unreadableOfd, accepted.mime);
  return { ok: true, detectedType: accepted.mime, sha256, size };
}

function typeMismatch(content: AcceptedType, declared: string): UploadProblem {
  const declaredLabel = acceptedTypeOf(declared)?.label ?? (declared || words.unknownType);
  return {
    code: 'type-mismatch',
    message: fill(words.typeMismatch, {
      content: CONTENT_NAMES[content.mime] ?? content.label,
      declared: declaredLabel,
    }),
  };
}

/** `Image/JPG; charset=x` → `image/jpeg`. */
function normalisedMime(declaredType: string): string {
  const mime = (declaredType.split(';')[0] ?? '').trim().toLowerCase();
  return mime === 'image/jpg' ? 'image/jpeg' : mime;
}

// ---------------------------------------------------------------------------------------------- PDF

/**
 * Decoded bytes allowed for one document's object and cross-reference streams, the only streams
 * pdf-lib decodes while loading. Real ones decode to kilobytes; a 1 MB flate bomb decodes to 1 GB and
 * a 20 MB one would take the function down before any catch could run.
 */
const MAX_DECODED_STRUCTURE_BYTES = 64 * 1024 * 1024;

/** Set while this module loads a PDF, so other users of pdf-lib in the process are left alone. */
const structureBudget = new AsyncLocalStorage<{ remaining: number }>();

function chargeDecodedSize(stream: PDFRawStream, budget: { remaining: number }): void {
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter === undefined ? [] : [filter];
  if (filters.length === 0) return; // stored as is: already counted in the upload's size
  // Chained filters multiply their expansions; writers use one filter for these streams.
  if (filters.length > 1) throw new Error('chained filters on an object or cross-reference stream');
  const decoded =
    filters[0] === PDFName.of('FlateDecode')
      ? // zlib stops at the limit, where pdf-lib would first inflate a whole deflate block however large;
        // raw inflate past the two header bytes and a sync flush accept what pdf-lib accepts.
        inflateRawSync(stream.contents.subarray(2), {
          maxOutputLength: Math.max(1, budget.remaining),
          finishFlush: zlib.Z_SYNC_FLUSH,
        }).byteLength
      : // LZW, run-length and ASCII filters decode in small blocks: reading past the limit is bounded.
        decodePDFRawStream(stream).getBytes(budget.remaining + 1).byteLength;
  if (decoded > budget.remaining) throw new Error('object streams decode beyond the limit');
  budget.remaining -= decoded;
}

function guardedByBudget<Rest extends unknown[], Parser>(
  forStream: (stream: PDFRawStream, ...rest: Rest) => Parser,
): (stream: PDFRawStream, ...rest: Rest) => Parser {
  return (stream, ...rest) => {
    const budget = structureBudget.getStore();
    if (budget) chargeDecodedSize(stream, budget);
    return forStream(stream, ...rest);
  };
}

// pdf-lib's parser calls these two factories for every object and cross-reference stream it meets.
PDFObjectStreamParser.forStream = guardedByBudget(PDFObjectStreamParser.forStream);
PDFXRefStreamParser.forStream = guardedByBudget(PDFXRefStreamParser.forStream);

type PdfOutcome = 'readable' | 'unreadable' | PdfProtection;

const PDF_PROBLEMS: Partial<Record<PdfOutcome, UploadProblem>> = {
  unreadable: { code: 'unreadable-pdf', message: words.unreadablePdf },
  'user-password': { code: 'password-protected-pdf', message: words.passwordProtectedPdf },
  'unknown-handler': { code: 'password-protected-pdf', message: words.encryptedPdf },
};

/**
 * Whether pdf-lib parses the PDF and finds a page in its page tree, and whether anyone can open it
 * without a password (functions/adapters/pdf-password.ts).
 */
async function pdfOutcome(bytes: Uint8Array): Promise<PdfOutcome> {
  // pdf-lib warns on stderr once per invalid object: a 20 MB file of junk objects would write a
  // million log lines. The parse below never waits for a timer, so the silence lasts only that long.
  const warn = console.warn;
  console.warn = () => {};
  try {
    const document = await structureBudget.run({ remaining: MAX_DECODED_STRUCTURE_BYTES }, () =>
      // Fastest: no timer between batches of objects, which made a large file take seconds longer.
      PDFDocument.load(bytes, {
        ignoreEncryption: true,
        updateMetadata: false,
        parseSpeed: ParseSpeeds.Fastest,
      }),
    );
    const protection = pdfProtection(document);
    if (protection === 'user-password' || protection === 'unknown-handler') return protection;
    return hasAPage(document) ? 'readable' : 'unreadable';
  } catch {
    // Malformed, truncated, too deep (RangeError) or over the decoding limit: all mean "cannot open".
    return 'unreadable';
  } finally {
    console.warn = warn;
  }
}

/**
 * Whether the page tree reaches a page. Not `getPageCount()`: pdf-lib walks shared subtrees once per
 * path, so 40 levels of `/Kids [n 0 R n 0 R]` in a 2 KB file would mean 2^40 visits. Here each node is
 * visited once.
 */
function hasAPage(document: PDFDocument): boolean {
  const visited = new Set<PDFDict>();
  const trees: PDFPageTree[] = [document.catalog.Pages()];
  for (let tree = trees.pop(); tree; tree = trees.pop()) {
    if (!(tree instanceof PDFPageTree) || visited.has(tree)) continue;
    visited.add(tree);
    const kids = tree.Kids();
    for (let index = 0; index < kids.size(); index++) {
      const kid = kids.lookup(index);
      if (kid instanceof PDFPageTree) trees.push(kid);
      // Like pdf-lib, any other dictionary under /Kids is a page, /Type /Page or not.
      else if (kid instanceof PDFDict) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------- OFD

type OfdEntry = 'readable' | 'unreadable';

/** OFD.xml is a few kilobytes; reading this much of it proves it inflates. */
const OFD_XML_READ_LIMIT = 1024 * 1024;

/** `PK\x03\x04`: a ZIP that file-type named for its contents (docx, jar …) is still checked for OFD.xml. */
function isZipLocalHeader(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * GB/T 33190: an OFD package is a ZIP with `OFD.xml` at its root. Only the central directory is listed
 * and at most OFD_XML_READ_LIMIT bytes inflated, so a ZIP bomb costs nothing.
 */
function ofdPackageOf(bytes: Uint8Array): Promise<OfdEntry | 'absent' | 'unlistable'> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) return resolve('unlistable');
      let settled = false;
      const settle = (outcome: OfdEntry | 'absent' | 'unlistable') => {
        if (settled) return;
        settled = true;
        zip.close();
        resolve(outcome);
      };
      zip.on('entry', (entry: Entry) => {
        if (entry.fileName.toLowerCase() !== 'ofd.xml') return zip.readEntry();
        readsSomeBytes(zip, entry).then((readable) => settle(readable ? 'readable' : 'unreadable'));
      });
      zip.on('end', () => settle('absent'));
      zip.on('error', () => settle('unlistable'));
      zip.readEntry();
    });
  });
}

/** Whether the entry inflates to at least one byte, reading no more than OFD_XML_READ_LIMIT. */
function readsSomeBytes(zip: ZipFile, entry: Entry): Promise<boolean> {
  return new Promise((resolve) => {
    zip.openReadStream(entry, (openError, stream) => {
      if (openError || !stream) return resolve(false); // encrypted, unknown method, bad offsets
      let read = 0;
      stream.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= OFD_XML_READ_LIMIT) {
          stream.destroy();
          resolve(true);
        }
      });
      stream.on('end', () => resolve(read > 0));
      stream.on('error', () => resolve(false));
    });
  });
}
