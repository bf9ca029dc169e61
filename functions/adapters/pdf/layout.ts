/**
 * A small layout kit over pdfkit for bangfu's A4 documents: the CJK font, a title block, headings and
 * paragraphs, a table that repeats its header on every page and never splits a row, and, once the
 * content is done, a running head and a 第 N 页 / 共 M 页 footer with the generation time on every page.
 *
 * Same content and same `generatedAt` give the same bytes: the info dictionary's dates are
 * `generatedAt`, and pdfkit derives the trailer /ID from the info dictionary (an MD5 of its entries),
 * so nothing depends on the clock. The font subset's tag comes from the font's resource name (F1, F2).
 */
import PDFDocument from 'pdfkit';
import { fontData } from './fonts.ts';
import { fill, instantZh, labels } from './wording.ts';

export interface DocumentSetup {
  /** The document's title: PDF metadata and the heading of page 1. */
  title: string;
  subject: string;
  keywords?: string;
  generatedAt: Date;
  /** Shown at the top of pages 2 onwards, e.g. the programme's short name. */
  runningHead: string;
  /** Shown in the footer of every page, left of the page number (e.g. a pairing id on a form). */
  footerNote?: string;
}

export type Align = 'left' | 'center' | 'right';

export interface TableColumn {
  header: string;
  /** Relative width: the columns share the text width in proportion. */
  width: number;
  align?: Align;
}

export interface CellStyle {
  text: string;
  color?: string;
  bold?: boolean;
}
export type TableCell = string | CellStyle;

export type TableRow =
  | { kind: 'row'; cells: TableCell[]; bold?: boolean; fill?: string }
  /** A full-width group heading (a city, a county); kept with the row after it, repeated after a page break. */
  | { kind: 'band'; text: string; level: 1 | 2 }
  /** A full-width line of detail under the row before it, kept with that row. */
  | { kind: 'note'; text: string; color?: string };

export interface TableOptions {
  fontSize?: number;
  /** A heading drawn right above the table, kept on the page with the header and the first row. */
  heading?: string;
  headingSize?: number;
}

export const COLOURS = {
  text: '#1a1a1a',
  muted: '#5b6570',
  rule: '#9aa5b1',
  headerFill: '#dfe6ee',
  band1Fill: '#c9d5e3',
  band2Fill: '#eef2f6',
  totalFill: '#f3f0e4',
  onTime: '#2e7d32',
  late: '#e08a00',
  missing: '#c62828',
  pending: '#9e9e9e',
  exempt: '#5c8fc7',
} as const;

const A4_MARGINS = { top: 62, bottom: 62, left: 54, right: 54 };
const PAD_X = 3;
const PAD_Y = 2.5;
const LINE_GAP = 1;

export class PdfLayout {
  readonly doc: PDFKit.PDFDocument;
  private readonly done: Promise<Buffer>;

  constructor(private readonly setup: DocumentSetup) {
    const at = setup.generatedAt;
    this.doc = new PDFDocument({
      size: 'A4',
      margins: A4_MARGINS,
      bufferPages: true,
      autoFirstPage: true,
      lang: 'zh-CN',
      displayTitle: true,
      pdfVersion: '1.7',
      info: {
        Title: setup.title,
        Author: labels.common.author,
        Subject: setup.subject,
        ...(setup.keywords ? { Keywords: setup.keywords } : {}),
        Creator: labels.common.creator,
        Producer: 'PDFKit',
        CreationDate: at,
        ModDate: at,
      },
    });
    this.doc.registerFont('regular', fontData('regular'));
    this.doc.registerFont('bold', fontData('bold'));
    this.doc.font('regular').fontSize(10).fillColor(COLOURS.text);
    // Pages are buffered so that each footer can say how many there are (`finish`). pdfkit keeps every
    // drawing operation of a buffered page as a small array of bytes of its own until the document
    // ends: some 700 KB a page of a long table, 370 MB for the 533 pages of an annual summary of
    // 10,000 pairings. Once the next page starts, the finished page's operations are joined into one,
    // which pdfkit would do itself at the end: the output is the same bytes, the overhead is gone.
    this.doc.on('pageAdded', () => {
      const pages = (this.doc as unknown as { _pageBuffer?: { content?: PageContent }[] })._pageBuffer;
      const finished = pages?.[pages.length - 2]?.content;
      if (finished) joinContent(finished);
    });
    const chunks: Buffer[] = [];
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  /** The lowest y content may reach on this page. */
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  get y(): number {
    return this.doc.y;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom - 1) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = this.doc.page.margins.top;
  }

  moveDown(points: number): void {
    this.doc.y += points;
  }

  /**
   * The heading of page 1: the title (the document's, unless `heading` says otherwise), a subtitle
   * line and a two-column block of facts.
   */
  titleBlock(subtitle: string, facts: readonly [string, string][], heading: string = this.setup.title): void {
    const { doc } = this;
    doc.font('bold').fontSize(18).fillColor(COLOURS.text);
    doc.text(heading, this.left, doc.y, { width: this.width, align: 'center' });
    doc.moveDown(0.3);
    doc.font('regular').fontSize(11).fillColor(COLOURS.muted);
    doc.text(subtitle, this.left, doc.y, { width: this.width, align: 'center' });
    doc.moveDown(0.8);
    this.facts(facts);
    this.rule();
    doc.moveDown(0.6);
  }

  /** Label–value lines, the labels in a column of their own. */
  facts(facts: readonly [string, string][], options: { labelWidth?: number; size?: number } = {}): void {
    const { doc } = this;
    const size = options.size ?? 9.5;
    const labelWidth = options.labelWidth ?? 84;
    for (const [label, value] of facts) {
      doc.font('regular').fontSize(size);
      const height = Math.max(
        doc.heightOfString(value, { width: this.width - labelWidth, lineGap: LINE_GAP }),
        doc.heightOfString(label, { width: labelWidth - 6, lineGap: LINE_GAP }),
      );
      this.ensureSpace(height + 3);
      const y = doc.y;
      doc
        .font('bold')
        .fillColor(COLOURS.muted)
        .text(label, this.left, y, {
          width: labelWidth - 6,
          lineGap: LINE_GAP,
        });
      doc
        .font('regular')
        .fillColor(COLOURS.text)
        .text(value, this.left + labelWidth, y, {
          width: this.width - labelWidth,
          lineGap: LINE_GAP,
        });
      doc.y = y + height + 3;
    }
    doc.x = this.left;
  }

  rule(color: string = COLOURS.rule): void {
    const { doc } = this;
    doc.moveDown(0.3);
    doc
      .moveTo(this.left, doc.y)
      .lineTo(this.left + this.width, doc.y)
      .lineWidth(0.6)
      .strokeColor(color)
      .stroke();
    doc.moveDown(0.3);
  }

  /** A section heading, kept on the page with at least `keepWith` points of what follows. */
  heading(text: string, options: { size?: number; keepWith?: number; align?: Align } = {}): void {
    const { doc } = this;
    const size = options.size ?? 12.5;
    doc.font('bold').fontSize(size);
    const height = doc.heightOfString(text, { width: this.width });
    this.ensureSpace(height + (options.keepWith ?? 60));
    doc.moveDown(0.4);
    doc.fillColor(COLOURS.text).text(text, this.left, doc.y, { width: this.width, align: options.align });
    doc.moveDown(0.35);
    doc.font('regular');
  }

  /**
   * A paragraph; it may run on to the next page. `keepWith`: points of what follows to keep on the
   * same page (a sub-heading with its first lines).
   */
  paragraph(
    text: string,
    options: {
      size?: number;
      bold?: boolean;
      indent?: number;
      color?: string;
      align?: Align;
      gap?: number;
      keepWith?: number;
    } = {},
  ): void {
    const { doc } = this;
    doc
      .font(options.bold ? 'bold' : 'regular')
      .fontSize(options.size ?? 10)
      .fillColor(options.color ?? COLOURS.text);
    // At least the first line (or the whole of a short paragraph) on this page.
    const height = doc.heightOfString(text.slice(0, 40), { width: this.width });
    this.ensureSpace(height + (options.keepWith ?? 0));
    doc.text(text, this.left, doc.y, {
      width: this.width,
      indent: options.indent ?? 0,
      align: options.align ?? 'justify',
      lineGap: 3,
    });
    doc.moveDown(options.gap ?? 0.4);
    doc.font('regular').fillColor(COLOURS.text);
  }

  /**
   * A table. Rows are placed whole: a row (with the bands before it and the notes after it) that does
   * not fit goes to the next page, where the header row is drawn again, followed by the current bands
   * marked （续）.
   */
  table(columns: readonly TableColumn[], rows: readonly TableRow[], options: TableOptions = {}): void {
    const { doc } = this;
    const size = options.fontSize ?? 8.5;
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const openBands: string[] = [];

    const cellHeight = (cell: TableCell, width: number, bold: boolean) => {
      const { text, bold: cellBold } = styleOf(cell);
      doc.font(bold || cellBold ? 'bold' : 'regular').fontSize(size);
      return text ? doc.heightOfString(text, { width: width - 2 * PAD_X, lineGap: LINE_GAP }) : size;
    };
    const heightOf = (row: TableRow): number => {
      if (row.kind === 'row') {
        return (
          Math.max(...row.cells.map((cell, i) => cellHeight(cell, widths[i] ?? 0, row.bold ?? false))) +
          2 * PAD_Y
        );
      }
      return cellHeight({ text: row.text, bold: row.kind === 'band' }, this.width, false) + 2 * PAD_Y;
    };

    const drawCells = (cells: readonly TableCell[], options: { bold?: boolean; fill?: string }) => {
      const height = Math.max(
        ...cells.map((cell, i) => cellHeight(cell, widths[i] ?? 0, options.bold ?? false)),
      );
      const y = doc.y;
      const rowHeight = height + 2 * PAD_Y;
      if (options.fill) doc.rect(this.left, y, this.width, rowHeight).fill(options.fill);
      cells.forEach((cell, i) => {
        const { text, color, bold } = styleOf(cell);
        doc
          .font(options.bold || bold ? 'bold' : 'regular')
          .fontSize(size)
          .fillColor(color ?? COLOURS.text)
          .text(text, (xs[i] ?? 0) + PAD_X, y + PAD_Y, {
            width: (widths[i] ?? 0) - 2 * PAD_X,
            align: columns[i]?.align ?? 'left',
            lineGap: LINE_GAP,
          });
      });
      this.hline(y + rowHeight, 0.4);
      doc.y = y + rowHeight;
    };

    const drawHeader = () => {
      this.hline(doc.y, 0.8);
      drawCells(
        columns.map((c) => c.header),
        { bold: true, fill: COLOURS.headerFill },
      );
      this.hline(doc.y, 0.8);
    };

    const drawWide = (row: Exclude<TableRow, { kind: 'row' }>, suffix = '') => {
      const y = doc.y;
      const text = row.text + suffix;
      const height = heightOf({ ...row, text });
      if (row.kind === 'band') {
        doc
          .rect(this.left, y, this.width, height)
          .fill(row.level === 1 ? COLOURS.band1Fill : COLOURS.band2Fill);
      }
      doc
        .font(row.kind === 'band' ? 'bold' : 'regular')
        .fontSize(size)
        .fillColor(row.kind === 'note' ? (row.color ?? COLOURS.muted) : COLOURS.text)
        .text(text, this.left + PAD_X + (row.kind === 'note' ? 12 : 0), y + PAD_Y, {
          width: this.width - 2 * PAD_X - (row.kind === 'note' ? 12 : 0),
          lineGap: LINE_GAP,
        });
      this.hline(y + height, 0.4);
      doc.y = y + height;
    };

    // Units placed whole: bands, then a row, then its notes.
    const units: TableRow[][] = [];
    let pending: TableRow[] = [];
    for (const row of rows) {
      if (row.kind === 'note' && pending.length === 0 && units.length > 0) {
        units.at(-1)?.push(row);
        continue;
      }
      pending.push(row);
      if (row.kind === 'row') {
        units.push(pending);
        pending = [];
      }
    }
    if (pending.length > 0) units.push(pending);

    const headerHeight = heightOf({ kind: 'row', cells: columns.map((c) => c.header), bold: true });
    const firstUnit = (units[0] ?? []).reduce((sum, row) => sum + heightOf(row), 0);
    if (options.heading) {
      this.heading(options.heading, {
        ...(options.headingSize ? { size: options.headingSize } : {}),
        keepWith: headerHeight + firstUnit + 4,
      });
    } else {
      this.ensureSpace(headerHeight + firstUnit + 4);
    }
    drawHeader();
    for (const unit of units) {
      const height = unit.reduce((sum, row) => sum + heightOf(row), 0);
      if (doc.y + height > this.bottom - 1) {
        this.newPage();
        drawHeader();
        if (unit[0]?.kind !== 'band') {
          openBands.forEach((text, level) => {
            drawWide({ kind: 'band', text, level: (level + 1) as 1 | 2 }, labels.common.continued);
          });
        }
      }
      for (const row of unit) {
        if (row.kind === 'band') {
          openBands.length = row.level - 1;
          openBands[row.level - 1] = row.text;
          drawWide(row);
        } else if (row.kind === 'note') {
          drawWide(row);
        } else {
          drawCells(row.cells, row);
        }
      }
    }
    doc.x = this.left;
    doc.moveDown(0.6);
    doc.font('regular').fillColor(COLOURS.text);
  }

  private hline(y: number, width: number): void {
    this.doc
      .moveTo(this.left, y)
      .lineTo(this.left + this.width, y)
      .lineWidth(width)
      .strokeColor(COLOURS.rule)
      .stroke();
  }

  /** Adds the running head and footer to every page and returns the document's bytes. */
  async finish(): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    const generated = fill(labels.common.generatedAt, {
      time: instantZh(this.setup.generatedAt.toISOString()),
    });
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const { margins, height } = doc.page;
      // Text below the bottom margin would make pdfkit start a new page: lift the margin while writing.
      const bottomMargin = margins.bottom;
      margins.bottom = 0;
      doc.font('regular').fontSize(8).fillColor(COLOURS.muted);
      if (i > range.start) {
        doc.text(this.setup.runningHead, this.left, 30, {
          width: this.width,
          align: 'left',
          lineBreak: false,
        });
        doc.text(this.setup.title, this.left, 30, { width: this.width, align: 'right', lineBreak: false });
        doc
          .moveTo(this.left, 42)
          .lineTo(this.left + this.width, 42)
          .lineWidth(0.4)
          .strokeColor(COLOURS.rule)
          .stroke();
      }
      const footerY = height - 40;
      doc
        .moveTo(this.left, footerY - 6)
        .lineTo(this.left + this.width, footerY - 6)
        .lineWidth(0.4)
        .strokeColor(COLOURS.rule)
        .stroke();
      const note = this.setup.footerNote ? `${this.setup.footerNote}　${generated}` : generated;
      doc.text(note, this.left, footerY, { width: this.width, align: 'left', lineBreak: false });
      doc.text(
        fill(labels.common.pageNumber, { n: i - range.start + 1, total: range.count }),
        this.left,
        footerY,
        { width: this.width, align: 'right', lineBreak: false },
      );
      margins.bottom = bottomMargin;
    }
    doc.end();
    return this.done;
  }
}

/** What pdfkit keeps of a page's content stream until it is written: its chunks of bytes. */
export interface PageContent {
  buffer: Uint8Array[];
}

/** Joins a page's content chunks into one; the stream's bytes are unchanged (pdfkit joins them anyway). */
export function joinContent(content: PageContent): void {
  if (!Array.isArray(content.buffer) || content.buffer.length < 2) return;
  content.buffer = [Buffer.concat(content.buffer)];
}

function styleOf(cell: TableCell): CellStyle {
  return typeof cell === 'string' ? { text: cell } : cell;
}
