/**
 * What institutions submit: a file per obligation (agreement scan, annual report), and for the annual
 * report the plan's figures for the year, so targets can be checked.
 */
import { z } from 'zod';
import words from '../../templates/annual-figures.zh.json' with { type: 'json' };
import { ANNUAL_REPORT_KIND, type ObligationKindRule, type Programme } from './model.ts';
import { fill } from './wording.ts';

/** Fujian §2(1), Jiangsu §3(2): the five emergency centres every recipient hospital should build. */
export const EMERGENCY_CENTRES = [
  '卒中中心',
  '胸痛中心',
  '创伤中心',
  '危重孕产妇救治中心',
  '危重儿童和新生儿救治中心',
] as const;
export type EmergencyCentre = (typeof EMERGENCY_CENTRES)[number];

export const CENTRE_STATUSES = ['built', 'in-progress', 'not-started'] as const;
export type CentreStatus = (typeof CENTRE_STATUSES)[number];

/** Roles of stationed staff; the plan requires one serving as president or vice-president. */
export const STATIONED_ROLES = [
  'president',
  'vice-president',
  'department-head',
  'clinician',
  'technician',
  'manager',
] as const;
export type StationedRole = (typeof STATIONED_ROLES)[number];
export const LEADERSHIP_ROLES: readonly StationedRole[] = ['president', 'vice-president'];

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Characters nobody sees in a name: controls, format characters (zero-width space U+200B, byte-order
 * mark U+FEFF, soft hyphen U+00AD, bidi marks) and the other default-ignorable ones (Hangul fillers,
 * variation selectors). A name made of them alone would count as a person.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** A name as people read it: invisible characters removed, surrounding spaces trimmed. */
export function visibleName(name: string): string {
  return name.replace(INVISIBLE, '').trim();
}

/**
 * The months a stint may name: January of the year before the programme's first plan year to December
 * of its last. Fujian §3(2) runs the tasks from February 2022 to December 2025 and counts staff a
 * supporter had stationed before the agreements were signed in that year's statistics, so a stay
 * counted in 2022 may have begun in 2021, the first year of the 14th Five-Year period.
 */
export function stintMonthRange(programme: Pick<Programme, 'planYears'>): { first: string; last: string } {
  if (programme.planYears.length === 0) throw new RangeError('a programme without plan years has no figures');
  const yyyy = (year: number) => String(year).padStart(4, '0');
  return {
    first: `${yyyy(Math.min(...programme.planYears) - 1)}-01`,
    last: `${yyyy(Math.max(...programme.planYears))}-12`,
  };
}

/**
 * Upper bounds no hospital's year reaches, so a slip of the keyboard is caught rather than counted.
 * The plans ask for at least 5 stationed staff, 3 backbone staff trained and one infection-control
 * training a year (Fujian §2(2), §2(4), §2(6)); the largest supporting group in the plans is eight
 * institutions (Fujian annex 1, 洛隆县), and five staff from each, each in two stints, are 80 rows.
 */
const MAX_STINTS = 100;
const MAX_NAME_LENGTH = 40;
const MAX_COUNTS = {
  backboneStaffTrained: 1_000,
  // At most one a day.
  infectionControlTrainings: 365,
  newTechniques: 1_000,
  // Some 270 a day, remote ECG and imaging reads included.
  remoteConsultations: 100_000,
} as const;

/** A non-negative whole number up to `max`; one message for every way it can be wrong. */
const count = (max: number) => {
  const error = fill(words.count, { max });
  return z.number({ error }).int({ error }).min(0, { error }).max(max, { error });
};

/** Objects refuse fields the page does not send; a missing object is asked for. */
const objectError = (missing: string) => (issue: { code: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys'
    ? fill(words.unknownFields, { keys: (issue.keys ?? []).join('、') })
    : missing;

/** `2021-01` → 2021年1月 */
function monthZh(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return fill(words.month, { year, month: m });
}

/** The annual report carries the year's figures, so the annual summary can check the targets. */
export function needsFigures(rule: ObligationKindRule): boolean {
  return rule.kind === ANNUAL_REPORT_KIND;
}

/**
 * The plan's figures for one pairing and year, as entered on the upload page with the annual report of
 * `year`. A stint's months lie within the programme's months (`stintMonthRange`), and the stint
 * overlaps `year`: the report is about that year's team, and a stint wholly in another year is a typo
 * or last year's list, never this year's figure. A stint may start before the year (Fujian §3(2)) and
 * run past it: the report is due on 10 December, when a stay continuing into the next year is still
 * planned, and a stay across New Year is one continuous stay for the six-month rule (Fujian §2(6)).
 */
export function annualFiguresSchemaFor(programme: Pick<Programme, 'planYears'>, year: number) {
  const { first, last } = stintMonthRange(programme);
  const month = z
    .string({ error: words.monthFormat })
    .regex(MONTH, { error: words.monthFormat, abort: true })
    .refine((m) => m >= first && m <= last, {
      error: fill(words.monthOutsidePlan, { first: monthZh(first), last: monthZh(last) }),
    });
  const yearStart = `${year}-01`;
  const yearEnd = `${year}-12`;
  const stint = z
    .strictObject(
      {
        name: z
          .string({ error: words.nameRequired })
          .transform(visibleName)
          .pipe(
            z
              .string()
              // A name has a letter: blanks, dashes or dots alone name nobody.
              .regex(/\p{L}/u, { error: words.nameRequired })
              .max(MAX_NAME_LENGTH, { error: fill(words.nameTooLong, { max: MAX_NAME_LENGTH }) }),
          ),
        role: z.enum(STATIONED_ROLES, { error: words.role }),
        /** First and last month stationed (inclusive); the months are continuous. */
        from: month,
        to: month,
      },
      { error: objectError(words.missing) },
    )
    .superRefine((s, context) => {
      if (!MONTH.test(s.from) || !MONTH.test(s.to)) return;
      if (s.to < s.from) context.addIssue({ code: 'custom', message: words.toBeforeFrom, path: ['to'] });
      else if (s.to < yearStart) {
        const message = fill(words.endsBeforeYear, { month: monthZh(yearStart), year });
        context.addIssue({ code: 'custom', message, path: ['to'] });
      } else if (s.from > yearEnd) {
        const message = fill(words.startsAfterYear, { month: monthZh(yearEnd), year });
        context.addIssue({ code: 'custom', message, path: ['from'] });
      }
    });
  const centres = Object.fromEntries(
    EMERGENCY_CENTRES.map((c) => [c, z.enum(CENTRE_STATUSES, { error: words.centreStatus })]),
  ) as Record<EmergencyCentre, z.ZodEnum<{ [S in CentreStatus]: S }>>;
  return z.strictObject(
    {
      stationedStaff: z
        .array(stint, { error: words.missing })
        .max(MAX_STINTS, { error: fill(words.tooManyStaff, { max: MAX_STINTS }) }),
      backboneStaffTrained: count(MAX_COUNTS.backboneStaffTrained),
      infectionControlTrainings: count(MAX_COUNTS.infectionControlTrainings),
      emergencyCentres: z.strictObject(centres, { error: objectError(words.missing) }),
      newTechniques: count(MAX_COUNTS.newTechniques),
      remoteConsultations: count(MAX_COUNTS.remoteConsultations),
    },
    { error: objectError(words.figuresRequired) },
  );
}
export type AnnualFigures = z.output<ReturnType<typeof annualFiguresSchemaFor>>;
export type StationedStaff = AnnualFigures['stationedStaff'][number];

/** One accepted upload for an obligation. Resubmissions add versions; the latest counts. */
export interface Submission {
  /** The upload slot the server issued: part of the object key, unique per upload. */
  id: string;
  programmeId: string;
  pairingId: string;
  obligationId: string;
  kind: string;
  year: number;
  /** The institution whose link was used. */
  institutionId: string;
  /** 1 for the first submission of this obligation, then 2, 3 … */
  version: number;
  receivedAt: string;
  bucket: string;
  key: string;
  s3VersionId?: string;
  sha256: string;
  size: number;
  /** Detected from the content, not the name. */
  contentType: string;
  /** The name the uploader's file had, for people. */
  filename: string;
  figures?: AnnualFigures;
}
