import { userFacingError } from './errors.ts';

/** A problem with one input item, named so a person can find and fix it. */
export interface ValidationIssue {
  file: string;
  /** 1-based data row (CSV) or a locator such as `附件1 序号11` (seed tables). */
  row?: number | string;
  field: string;
  message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  const where = issue.row === undefined ? issue.file : `${issue.file}, row ${issue.row}`;
  return `${where}, field "${issue.field}": ${issue.message}`;
}

/** A whole input rejected: nothing from it was written. */
export class InputRejectedError extends userFacingError('input-rejected') {
  override readonly name = 'InputRejectedError';
  constructor(
    readonly what: string,
    readonly issues: ValidationIssue[],
  ) {
    const shown = issues.slice(0, 20).map((i) => `  - ${formatIssue(i)}`);
    const more = issues.length > 20 ? [`  … and ${issues.length - 20} more`] : [];
    super(
      `${what} rejected, nothing was written (${issues.length} problem(s)):\n${[...shown, ...more].join('\n')}`,
    );
  }
}
