/**
 * Imports a coordinators roster from CSV (`institution,role,name,email,phone`, or the Chinese headers
 * a commission's spreadsheet has: `单位,角色,姓名,邮箱,电话`).
 *
 * 1. Parse the CSV; check the header, then every row (institution known by name, alias or id; email
 *    valid; no field longer than its limit; a name and a role that show something; no row twice).
 * 2. Only if every row is clean, write the contacts that differ from what is stored. Contacts not in
 *    the file are kept: a roster file may cover only some institutions.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { Contact } from '../domain/model.ts';
import { institutionDirectory } from '../domain/pairings.ts';
import { InputRejectedError, type ValidationIssue } from '../domain/validation.ts';
import type { RosterStore, SyncCounts } from './ports.ts';

export const ROSTER_COLUMNS = ['institution', 'role', 'name', 'email', 'phone'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];
const REQUIRED_COLUMNS = ['institution', 'role', 'name', 'email'] as const;

/** The headers a commission's own spreadsheet uses, first the one the error messages suggest. */
const CHINESE_HEADERS: Record<RosterColumn, readonly string[]> = {
  institution: ['单位', '单位名称', '机构', '机构名称', '医疗机构'],
  role: ['角色', '职务', '岗位'],
  name: ['姓名', '联系人'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件'],
  phone: ['电话', '手机', '联系电话', '手机号'],
};
const COLUMN_OF_HEADER = new Map<string, RosterColumn>(
  ROSTER_COLUMNS.flatMap((column) => [
    [column, column] as const,
    ...CHINESE_HEADERS[column].map((header) => [header, column] as const),
  ]),
);
const EXPECTED_HEADERS = `${ROSTER_COLUMNS.join(', ')} or ${ROSTER_COLUMNS.map((c) => CHINESE_HEADERS[c][0]).join(', ')}`;

/**
 * The longest value of each field, in characters. A name or a role is a few characters; an
 * institution is matched against the directory, whose names are far shorter; 254 is the longest
 * address SMTP carries (RFC 5321). Limits keep every contact well inside DynamoDB's item size.
 */
const MAX_CHARACTERS = { institution: 100, role: 40, name: 50, email: 254 } as const;

/** Characters that print as nothing: format (zero-width spaces, soft hyphen, BOM), control, ignorable. */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Default_Ignorable_Code_Point}]/gu;

/** Trimmed text of 1 to `max` characters; `visible` also refuses text of invisible characters only. */
function boundedText(max: number, options: { visible?: boolean } = {}) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const length = characterCount(value);
      if (length === 0) ctx.addIssue({ code: 'custom', message: 'is empty' });
      else if (length > max)
        ctx.addIssue({ code: 'custom', message: `is too long: ${length} characters (at most ${max})` });
      else if (options.visible && value.replace(INVISIBLE, '').trim() === '')
        ctx.addIssue({ code: 'custom', message: 'has no visible characters' });
    });
}

/** Characters as a person counts them: a rare character outside the BMP (𠮷) is one, not two. */
function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

const rowSchema = z.strictObject({
  institution: boundedText(MAX_CHARACTERS.institution),
  role: boundedText(MAX_CHARACTERS.role, { visible: true }),
  name: boundedText(MAX_CHARACTERS.name, { visible: true }),
  email: boundedText(MAX_CHARACTERS.email).pipe(z.email('is not a valid email address')),
  phone: z
    .string()
    .trim()
    .regex(/^$|^\+?[\d\s()-]{5,20}$/, 'is not a phone number')
    .optional(),
});

/** A roster row that passed the checks: trimmed, within its limits. */
export type RosterRow = z.infer<typeof rowSchema>;

/**
 * One row checked by the roster's rules (every field within its limit, a name and a role that show
 * something, a valid email, a phone number or none): the row, or the problems by field. An admin's
 * correction of one contact is held to the same rules as a roster file.
 */
export function checkRosterRow(
  raw: Partial<Record<RosterColumn, string>>,
): { row: RosterRow } | { problems: { field: string; message: string }[] } {
  const parsed = rowSchema.safeParse(raw);
  if (parsed.success) return { row: parsed.data };
  return {
    problems: parsed.error.issues.map((issue) => ({
      field: String(issue.path[0] ?? '(row)'),
      message: issue.message,
    })),
  };
}

export interface RosterFile {
  name: string;
  text: string;
}

export async function importRoster(
  store: RosterStore,
  file: RosterFile,
): Promise<SyncCounts & { rows: number }> {
  const directory = institutionDirectory(await store.listInstitutions());
  const contacts = parseRoster(file, (ref) => directory.byId.get(ref)?.id ?? directory.byName.get(ref)?.id);
  const counts = await store.syncContacts(contacts);
  return { ...counts, rows: contacts.length };
}

/** Parses and checks a roster; throws InputRejectedError naming every bad row and field. */
export function parseRoster(
  file: RosterFile,
  institutionIdOf: (ref: string) => string | undefined,
): Contact[] {
  const issues: ValidationIssue[] = [];
  let records: string[][];
  try {
    records = parseCsv(file.text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as string[][];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new InputRejectedError('roster', [
      { file: file.name, row: e.lines, field: '(csv)', message: e.message },
    ]);
  }
  const [header, ...rows] = records;
  if (!header)
    throw new InputRejectedError('roster', [
      { file: file.name, field: '(header)', message: 'the file is empty' },
    ]);
  const headers = header.map((h) => h.trim().toLowerCase());
  const columns = headers.map((h) => COLUMN_OF_HEADER.get(h) ?? h);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  for (const column of missing)
    issues.push({ file: file.name, row: 1, field: column, message: 'required column is missing' });
  headers.forEach((h, i) => {
    if (!COLUMN_OF_HEADER.has(h)) {
      issues.push({
        file: file.name,
        row: 1,
        field: h,
        message: `unknown column (expected ${EXPECTED_HEADERS})`,
      });
    } else if (columns.indexOf(columns[i] as string) !== i) {
      issues.push({ file: file.name, row: 1, field: h, message: `a second ${columns[i]} column` });
    }
  });
  if (issues.length > 0) throw new InputRejectedError('roster', issues);

  const contacts: Contact[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, index) => {
    const line = index + 2; // 1-based, after the header
    const raw = Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
    const checked = checkRosterRow(raw);
    if ('problems' in checked) {
      for (const problem of checked.problems) issues.push({ file: file.name, row: line, ...problem });
      return;
    }
    const { row } = checked;
    const institutionId = institutionIdOf(row.institution);
    if (!institutionId) {
      issues.push({
        file: file.name,
        row: line,
        field: 'institution',
        message: `unknown institution "${row.institution}"`,
      });
      return;
    }
    const key = `${institutionId}#${row.email.toLowerCase()}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issues.push({
        file: file.name,
        row: line,
        field: 'email',
        message: `duplicate of row ${earlier} (same institution and email)`,
      });
      return;
    }
    seen.set(key, line);
    contacts.push({
      institutionId,
      role: row.role,
      name: row.name,
      email: row.email.toLowerCase(),
      ...(row.phone ? { phone: row.phone } : {}),
    });
  });
  if (issues.length > 0) throw new InputRejectedError('roster', issues);
  return contacts;
}
