/**
 * The pairing list as an Excel workbook (.xlsx, through exceljs): one row per pairing and obligation of
 * the list the page shows, Chinese headers, and a second sheet saying what was exported, by whom and
 * with which filters. Plain cells only (no formulas, macros or external links), so Excel and WPS open
 * it alike.
 *
 * Names come from the seeds, the roster and staff's own search terms. OWASP's advice on formula (CSV)
 * injection: a cell a spreadsheet could read as a formula, one starting with = + - @, a tab or a
 * carriage return, is written as text with a leading apostrophe. Every text cell is written as a
 * string value, never as a formula.
 */
import ExcelJS from 'exceljs';
import words from '../../templates/console.zh.json' with { type: 'json' };
import pdfLabels from '../../templates/pdf/labels.zh.json' with { type: 'json' };
import { beijingDate, beijingDateTime } from '../domain/plain-date.ts';
import { fill } from '../domain/wording.ts';
import {
  PAIRING_FILTER_KEYS,
  type PairingFilters,
  type PairingListView,
} from '../use-cases/console-pairings.ts';
import type { ConsoleContext } from '../use-cases/console-scope.ts';
import { CATEGORY_WORDS, CONSOLE_STATE_WORDS, OUTCOME_WORDS, TASK_LEVEL_WORDS } from './console-pages.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
const SHEET_NAME = /^[^:\\/?*[\]]{1,31}$/;

/** What a spreadsheet may take for the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell's value: as given, or with a leading apostrophe where it could be read as a formula. */
export function safeText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** `fj-2021-pairings-2023-01-05.xlsx`: ASCII, for a Content-Disposition header. */
export function pairingListFilename(view: Pick<PairingListView, 'programme' | 'at'>): string {
  return `${view.programme.id}-pairings-${beijingDate(new Date(view.at))}.xlsx`;
}

const COLUMNS = [
  ['seq', 6],
  ['city', 16],
  ['county', 12],
  ['recipient', 26],
  ['lead', 26],
  ['others', 30],
  ['category', 8],
  ['levels', 16],
  ['kind', 24],
  ['year', 8],
  ['dueDate', 12],
  ['extendedTo', 12],
  ['outcome', 12],
  ['state', 16],
  ['submittedAt', 18],
  ['review', 30],
  ['pairingId', 36],
] as const satisfies readonly (readonly [keyof typeof words.excel.columns, number])[];

export async function pairingListWorkbook(
  view: PairingListView,
  exportedBy: ConsoleContext['staff'],
): Promise<Buffer> {
  for (const name of [words.excel.sheet, words.excel.aboutSheet]) {
    if (!SHEET_NAME.test(name)) throw new RangeError(`not a valid Excel sheet name: ${name}`);
  }
  const at = new Date(view.at);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = pdfLabels.common.creator;
  workbook.created = at;
  workbook.modified = at;

  const sheet = workbook.addWorksheet(words.excel.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map(([key, width]) => ({ key, width, header: words.excel.columns[key] }));
  sheet.getRow(1).font = { bold: true };
  const none = pdfLabels.common.none;
  const list = (items: readonly string[]) => items.join(pdfLabels.common.listSeparator) || none;
  let seq = 0;
  for (const row of view.rows) {
    for (const o of row.obligations) {
      seq++;
      const review = o.review
        ? fill(pdfLabels.dossier.review[o.review.outcome], {
            time: beijingDateTime(new Date(o.review.at)),
            reason: o.review.reason ?? '',
          })
        : '';
      const text: Record<string, string> = {
        city: row.city,
        county: row.county,
        recipient: row.recipient,
        lead: row.lead,
        others: list(row.otherSupporters),
        category: CATEGORY_WORDS[row.category],
        levels: list(row.taskLevels.map((l) => TASK_LEVEL_WORDS[l])),
        kind: o.title,
        dueDate: o.dueDate,
        extendedTo: o.effectiveDueDate !== o.dueDate ? o.effectiveDueDate : '',
        outcome: OUTCOME_WORDS[o.outcome],
        state: CONSOLE_STATE_WORDS[o.state],
        submittedAt: o.submittedAt ? beijingDateTime(new Date(o.submittedAt)) : '',
        review,
        pairingId: row.pairingId,
      };
      sheet.addRow({
        // An empty cell stays empty rather than holding an empty string.
        ...Object.fromEntries(
          Object.entries(text)
            .filter(([, v]) => v !== '')
            .map(([k, v]) => [k, safeText(v)]),
        ),
        seq,
        year: o.year,
      });
    }
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };

  const about = workbook.addWorksheet(words.excel.aboutSheet);
  about.columns = [
    { key: 'label', width: 22 },
    { key: 'value', width: 80 },
  ];
  const aboutWords = words.excel.about;
  const filterLines = filterDescriptions(view);
  const lines: [string, string | number][] = [
    [aboutWords.programme, fill(words.withNote, { text: view.programme.name, note: view.programme.id })],
    [aboutWords.asOf, beijingDateTime(at)],
    [aboutWords.exportedBy, fill(words.withNote, { text: exportedBy.name, note: exportedBy.commission })],
    [aboutWords.filters, filterLines.join('\n') || aboutWords.noFilters],
    [aboutWords.rows, seq],
    ['', aboutWords.note],
  ];
  for (const [label, value] of lines) {
    const added = about.addRow({
      label: safeText(label),
      value: typeof value === 'number' ? value : safeText(value),
    });
    added.alignment = { vertical: 'top', wrapText: true };
  }
  about.getColumn('label').font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 地区：泉州市 … in the filters' order, each value in words. */
function filterDescriptions(view: PairingListView): string[] {
  const { filters, options } = view;
  const wordsOf = (key: keyof PairingFilters): string | undefined => {
    switch (key) {
      case 'taskLevel':
        return filters.taskLevel && TASK_LEVEL_WORDS[filters.taskLevel];
      case 'category':
        return filters.category && CATEGORY_WORDS[filters.category];
      case 'kind':
        return filters.kind && (options.kinds.find((k) => k.kind === filters.kind)?.title ?? filters.kind);
      case 'year':
        return filters.year === undefined ? undefined : fill(words.yearOf, { year: filters.year });
      case 'outcome':
        return filters.outcome && OUTCOME_WORDS[filters.outcome];
      case 'state':
        return filters.state && CONSOLE_STATE_WORDS[filters.state];
      default:
        return filters[key];
    }
  };
  return PAIRING_FILTER_KEYS.flatMap((key) => {
    const value = wordsOf(key);
    return value === undefined
      ? []
      : [fill(words.excel.filterLine, { name: words.excel.filterNames[key], value })];
  });
}
