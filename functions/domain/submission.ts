/**
 * What institutions submit: a file per obligation (agreement scan, annual report), and for the annual
 * report the plan's figures for the year, so targets can be checked.
 */
import { z } from 'zod';

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

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '应为 YYYY-MM 格式');

export const stationedStaffSchema = z
  .strictObject({
    name: z.string().trim().min(1, '请填写姓名').max(40),
    role: z.enum(STATIONED_ROLES),
    /** First and last month stationed (inclusive); the months are continuous. */
    from: month,
    to: month,
  })
  .refine((s) => s.from <= s.to, { message: '结束月份不能早于开始月份', path: ['to'] });

/** The plan's figures for one pairing and year, as entered on the upload page. */
export const annualFiguresSchema = z.strictObject({
  stationedStaff: z.array(stationedStaffSchema).max(200),
  backboneStaffTrained: z.number().int().min(0).max(10_000),
  infectionControlTrainings: z.number().int().min(0).max(1_000),
  emergencyCentres: z.strictObject(
    Object.fromEntries(EMERGENCY_CENTRES.map((c) => [c, z.enum(CENTRE_STATUSES)])) as Record<
      EmergencyCentre,
      z.ZodEnum<{ built: 'built'; 'in-progress': 'in-progress'; 'not-started': 'not-started' }>
    >,
  ),
  newTechniques: z.number().int().min(0).max(10_000),
  remoteConsultations: z.number().int().min(0).max(1_000_000),
});
export type AnnualFigures = z.infer<typeof annualFiguresSchema>;
export type StationedStaff = z.infer<typeof stationedStaffSchema>;

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

/** Months stationed, inclusive of both ends. */
export function monthsStationed(staff: Pick<StationedStaff, 'from' | 'to'>): number {
  const [fy, fm] = staff.from.split('-').map(Number) as [number, number];
  const [ty, tm] = staff.to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}
