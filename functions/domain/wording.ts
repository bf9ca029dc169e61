/** The wording in `templates/` has `{name}` placeholders; domain code fills them, never writes the words. */

/** Replaces `{name}` placeholders; an unknown one is left as is so a reviewer sees it. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}
