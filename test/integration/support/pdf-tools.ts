/**
 * Reading PDFs back the way a person's tools would: poppler-utils (pdftotext, pdfinfo, pdffonts,
 * pdftoppm; CI installs them with apt). Always asynchronous: the test process hosts s3rver, and a
 * blocked event loop deadlocks it (docs/local-aws.md).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where page images are left for people to look at (gitignored). */
export const TEST_OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));

async function withPdfFile<T>(pdf: Buffer, use: (path: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'bangfu-pdf-'));
  try {
    const path = join(dir, 'document.pdf');
    await writeFile(path, pdf);
    return await use(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of every page (`pdftotext -layout`), one string per page. */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  return withPdfFile(pdf, async (path) => {
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const pages = stdout.split('\f');
    return pages.at(-1)?.trim() === '' ? pages.slice(0, -1) : pages;
  });
}

/** `pdfinfo` as a map: Title, Author, Subject, Pages, CreationDate … */
export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  return withPdfFile(pdf, async (path) => {
    const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', '-isodates', path]);
    return Object.fromEntries(
      stdout
        .split('\n')
        .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] as string, (m[2] as string).trim()]),
    );
  });
}

export interface EmbeddedFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

export async function pdfFonts(pdf: Buffer): Promise<EmbeddedFont[]> {
  return withPdfFile(pdf, async (path) => {
    const { stdout } = await run('pdffonts', [path]);
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const cols = line.trim().split(/\s+/);
        const [emb, sub, uni] = cols.slice(-5, -2);
        return {
          name: cols[0] as string,
          type: cols.slice(1, -6).join(' '),
          embedded: emb === 'yes',
          subset: sub === 'yes',
          unicode: uni === 'yes',
        };
      });
  });
}

export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Parses a binary PGM (P5, 8-bit), as `pdftoppm -gray` writes it. */
export function parsePgm(data: Buffer): GreyImage {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (i < data.length && /\s/.test(String.fromCharCode(data[i] as number))) i++;
    if (data[i] === 0x23) {
      while (i < data.length && data[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (i < data.length && !/\s/.test(String.fromCharCode(data[i] as number))) {
      token += String.fromCharCode(data[i] as number);
      i++;
    }
    fields.push(token);
  }
  const [magic, w, h, max] = fields;
  if (magic !== 'P5' || Number(max) > 255) throw new Error(`not an 8-bit binary PGM: ${magic} ${max}`);
  const width = Number(w);
  const height = Number(h);
  const pixels = data.subarray(i + 1, i + 1 + width * height);
  if (pixels.length !== width * height) throw new Error('PGM is truncated');
  return { width, height, pixels };
}

/**
 * The share of pixels darker than mid-grey (ink), over the whole page or a horizontal band of it
 * given as fractions of the page height (0 = top).
 */
export function inkShare(image: GreyImage, band: [number, number] = [0, 1]): number {
  const from = Math.floor(band[0] * image.height) * image.width;
  const to = Math.ceil(band[1] * image.height) * image.width;
  let dark = 0;
  for (let i = from; i < to; i++) if ((image.pixels[i] as number) < 128) dark++;
  return dark / Math.max(1, to - from);
}

/** Rasterises every page in grey (`pdftoppm -gray`, binary PGM). */
export async function pageImages(pdf: Buffer, dpi = 40): Promise<GreyImage[]> {
  return withPdfFile(pdf, async (path, dir) => {
    await run('pdftoppm', ['-gray', '-r', String(dpi), path, join(dir, 'page')]);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.pgm')).sort();
    return Promise.all(files.map(async (f) => parsePgm(await readFile(join(dir, f)))));
  });
}

/** Renders page 1 to `test-output/<name>.png` for a person to look at; returns its path. */
export async function savePageOne(pdf: Buffer, name: string, dpi = 60): Promise<string> {
  await mkdir(TEST_OUTPUT, { recursive: true });
  await writeFile(join(TEST_OUTPUT, `${name}.pdf`), pdf);
  return withPdfFile(pdf, async (path) => {
    const prefix = join(TEST_OUTPUT, name);
    await run('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', path, prefix]);
    return `${prefix}.png`;
  });
}

/** Text with all whitespace removed, for phrases a table cell or a line break may have wrapped. */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}
