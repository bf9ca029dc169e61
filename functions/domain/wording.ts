/** The wording in `templates/` has `{name}` placeholders; domain code fills them, never writes the words. */
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import type { PlainDate } from './model.ts';

/** Replaces `{name}` placeholders; an unknown one is left as is so a reviewer sees it. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}

/** 2022-02-28 → 2022年2月28日, in emails, pages and documents alike. */
export function dateZh(date: PlainDate): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return fill(labels.date, { year, month, day });
}

/** 512 B, 1.5 KB, 20.0 MB: file sizes on the upload page, in its messages and in the notices. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
