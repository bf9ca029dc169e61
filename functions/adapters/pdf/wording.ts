/**
 * The documents' wording, loaded from `templates/`: labels (`templates/pdf/labels.zh.json`, task levels
 * and categories shared with the emails in `templates/labels.zh.json`) and the agreement texts
 * (`templates/pdf/agreement-form*.zh.md`), plus the date formats the documents use.
 */
import { readFileSync } from 'node:fs';
import sharedLabels from '../../../templates/labels.zh.json' with { type: 'json' };
import pdfLabels from '../../../templates/pdf/labels.zh.json' with { type: 'json' };
import type { AgreementTemplate, PairingCategory } from '../../domain/model.ts';
import { beijingDate, beijingDateTime } from '../../domain/plain-date.ts';
import { dateZh, fill } from '../../domain/wording.ts';
import { templatePath } from '../templates-dir.ts';

export const labels = pdfLabels;
export const taskLevelLabels: Record<string, string> = sharedLabels.taskLevels;
export const categoryLabels: Record<string, string> = sharedLabels.categories;

export { dateZh, fill };

/** An ISO instant → 2022年3月1日 09:00（北京时间） */
export function instantZh(iso: string): string {
  const instant = new Date(iso);
  const time = beijingDateTime(instant).slice(11);
  return fill(labels.common.beijingTime, { time: `${dateZh(beijingDate(instant))} ${time}` });
}

/** An ISO instant → 2022-03-01 09:00 (Beijing), compact for tables. */
export function instantShort(iso: string): string {
  return beijingDateTime(new Date(iso));
}

/** `T-3+T-1` → 截止前3天、截止前1天 */
export function stageText(stage: string): string {
  const words = labels.dossier.stage;
  // The notices about one upload or one return share the log: `receipt-<slot>`, `returned-<version>`.
  const notice = /^(receipt|rejection|returned)-/.exec(stage)?.[1] as keyof typeof words.notices | undefined;
  if (notice) return words.notices[notice];
  return stage
    .split(/\+(?=T)/)
    .map((part) => {
      const match = /^T([+-]\d+|0)$/.exec(part);
      if (!match) return part;
      const offset = Number(match[1]);
      if (offset === 0) return words.on;
      return fill(offset < 0 ? words.before : words.after, { n: Math.abs(offset) });
    })
    .join(labels.common.listSeparator);
}

export function taskLevelsText(levels: readonly string[]): string {
  return levels.length === 0
    ? labels.common.none
    : levels
        .map((l) => (labels.common.taskLevels as Record<string, string>)[l] ?? taskLevelLabels[l] ?? l)
        .join(labels.common.listSeparator);
}

export interface FormBlock {
  kind: 'title' | 'heading' | 'subheading' | 'paragraph';
  text: string;
  /** Printed only on the form of a pairing of this category (`@tcm ` before the block). */
  onlyFor?: PairingCategory;
}

/**
 * The agreement text of a programme's form for a pairing's category: Fujian annex 3 for every pairing;
 * Jiangsu's with the hospitals' tasks (§三) or, for CDC pairings, the CDCs' (§四).
 */
function formTemplateFile(template: AgreementTemplate, category: PairingCategory): string {
  if (template === 'fujian-annex-3') return 'agreement-form.zh.md';
  return category === 'cdc' ? 'agreement-form-jiangsu-cdc.zh.md' : 'agreement-form-jiangsu-hospital.zh.md';
}

const formTemplates = new Map<string, FormBlock[]>();

/**
 * The agreement text as blocks: `# ` title, `## ` heading, `### ` sub-heading, paragraphs separated by
 * blank lines; HTML comments (the file's notes to reviewers) are dropped, and blocks marked for another
 * category are left out.
 */
export function agreementFormTemplate(template: AgreementTemplate, category: PairingCategory): FormBlock[] {
  const file = formTemplateFile(template, category);
  let blocks = formTemplates.get(file);
  if (!blocks) {
    blocks = parseFormTemplate(readFileSync(templatePath('pdf', file), 'utf8'));
    formTemplates.set(file, blocks);
  }
  return blocks.filter((b) => b.onlyFor === undefined || b.onlyFor === category);
}

export function parseFormTemplate(markdown: string): FormBlock[] {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim().replace(/\s*\n\s*/g, ''))
    .filter((chunk) => chunk.length > 0)
    .map((chunk): FormBlock => {
      const marked = /^@(general|tcm|cdc) /.exec(chunk);
      const onlyFor = marked ? { onlyFor: marked[1] as PairingCategory } : {};
      const text = marked ? chunk.slice(marked[0].length) : chunk;
      if (text.startsWith('### ')) return { kind: 'subheading', text: text.slice(4).trim(), ...onlyFor };
      if (text.startsWith('## ')) return { kind: 'heading', text: text.slice(3).trim(), ...onlyFor };
      if (text.startsWith('# ')) return { kind: 'title', text: text.slice(2).trim(), ...onlyFor };
      return { kind: 'paragraph', text, ...onlyFor };
    });
}
