/**
 * The plans' vocabulary as types. Pure data: no AWS, no I/O, no clock.
 *
 * Words follow the plans: programme (方案), institution, recipient (受援),
 * supporter (支援), lead supporter (牵头), pairing (结对关系), task level (国家级/省级), obligation (a
 * deliverable with a due date), coordinator (联络员), city health commission (设区市卫健委), provincial
 * commission (省卫健委).
 */

/** A calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export type PlainDate = string;

export const INSTITUTION_TYPES = [
  'county-hospital', // 县级综合医院：县人民医院、县医院、县总医院、县级市医院
  'county-tcm-hospital', // 县中医医院
  'county-ethnic-medicine-hospital', // 县民族医医院（藏医医院）
  'county-cdc', // 县疾控中心
  'tertiary-hospital', // 三级综合或专科医院
  'tertiary-tcm-hospital', // 三级中医、中西医结合医院
  'city-cdc', // 设区市疾控中心
  'provincial-cdc', // 省疾控中心
  'city-health-commission', // 设区市卫健委
  'county-government', // 县级人民政府
  'provincial-commission', // 省卫健委
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

/** Who an institution answers to: provincially managed (省管/省属) institutions report to the province. */
export const MANAGING_LEVELS = ['province', 'city', 'county'] as const;
export type ManagingLevel = (typeof MANAGING_LEVELS)[number];

export interface Place {
  /** Full name, e.g. 福建省, 西藏自治区. */
  province: string;
  /** Prefecture-level city, e.g. 南平市, 昌都市; absent for provincial bodies. */
  city?: string;
  /** County or county-level city, e.g. 松溪县, 漳平市; absent above county level. */
  county?: string;
}

export interface Institution {
  /** Stable ASCII id, e.g. `fj-songxi-county-hospital`. */
  id: string;
  /** Canonical full name. */
  name: string;
  /** Other names the plans use for the same institution, character for character. */
  aliases: string[];
  type: InstitutionType;
  place: Place;
  managedBy: ManagingLevel;
  /** Why two names are one institution, or anything a reviewer should know. */
  note?: string;
}

export const PAIRING_CATEGORIES = ['general', 'tcm', 'cdc'] as const;
export type PairingCategory = (typeof PAIRING_CATEGORIES)[number];

export const TASK_LEVELS = ['national', 'provincial'] as const;
export type TaskLevel = (typeof TASK_LEVELS)[number];

/** Where in a plan a pairing was read from, so every pairing can be traced to its annex row. */
export interface AnnexSource {
  annex: string;
  /** The printed serial number (序号) where the table has one; merged cells share it. */
  seq?: number;
  taskLevel?: TaskLevel;
  /** The names as printed in that row. */
  recipientName: string;
  supporterNames: string[];
}

export interface Pairing {
  /** `${programmeId}.${recipientId}`: a recipient has one pairing per programme. */
  id: string;
  programmeId: string;
  recipientId: string;
  /** Supporters in the order the plan lists them. */
  supporterIds: string[];
  leadSupporterId: string;
  category: PairingCategory;
  /** Empty where the plan has no task levels (Jiangsu). */
  taskLevels: TaskLevel[];
  sources: AnnexSource[];
}

/**
 * Parties an obligation or a reminder can name, resolved per pairing. Kept symbolic in the programme
 * rules so who-gets-what is data, reviewable next to the plan.
 */
export const PARTIES = [
  'lead-supporter',
  'other-supporters',
  'recipient',
  'county-government',
  'responsible-city-commission',
  'recipient-city-commission',
  /** The commission that collects the pairing's deliverables and forwards them (reporting-chain.ts). */
  'collecting-commission',
  'provincial-commission',
] as const;
export type Party = (typeof PARTIES)[number];

/**
 * What the plans ask each pairing to submit: the agreement (Fujian §3(1) tripartite, Jiangsu §7(3) between the
 * paired institutions) and
 * the annual report (Fujian §3(2), Jiangsu §7(2)). The same strings are part of obligation ids, of the
 * DynamoDB keys and of the object keys of uploads.
 */
export const OBLIGATION_KINDS = ['agreement', 'annual-report'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];
export const AGREEMENT_KIND = 'agreement' satisfies ObligationKind;
export const ANNUAL_REPORT_KIND = 'annual-report' satisfies ObligationKind;

export function isObligationKind(value: string): value is ObligationKind {
  return (OBLIGATION_KINDS as readonly string[]).includes(value);
}

export interface ObligationKindRule {
  kind: ObligationKind;
  /** What the user sees, e.g. 三方对口帮扶协议书扫描件. */
  title: string;
  /** What exactly must be uploaded, in the plan's words. */
  deliverable: string;
  /** Plan section the rule comes from. */
  citation: string;
  /** One obligation per pairing per listed year. */
  years: number[];
  /** `MM-DD` in the obligation's year: when submissions open. */
  opens: string;
  opensBasis: Basis;
  /** `MM-DD` in the obligation's year: the due date (end of that day, Beijing time). */
  due: string;
  dueBasis: Basis;
  submittedBy: Party[];
  overseenBy: Party[];
  remind: { to: Party[]; cc: Party[] };
  /** Parties who join once the due date has passed; `lastStage` join at the final stage as well. */
  escalation: { afterDue: Party[]; lastStage: Party[] };
}

/**
 * Where a rule comes from: a section of the plan, or a product default with the reason it was chosen
 * (the plan is silent). Shown to staff next to the rule, so every date and route can be checked.
 */
export type Basis = { source: 'plan'; section: string } | { source: 'product-default'; reason: string };

/**
 * What a city commission owes the province once it has its pairings' deliverables: the second level
 * of the reporting chain (Fujian §三(一)–(二)). Kinds are part of keys, like obligation kinds.
 */
export const FORWARDING_KINDS = ['agreement-forwarding', 'annual-evaluation'] as const;
export type ForwardingKind = (typeof FORWARDING_KINDS)[number];

export function isForwardingKind(value: string): value is ForwardingKind {
  return (FORWARDING_KINDS as readonly string[]).includes(value);
}

export interface ForwardingRule {
  kind: ForwardingKind;
  /** The pairing deliverable it collects and passes on. */
  forwards: ObligationKind;
  /** What the user sees, e.g. 辖区对口帮扶协议书汇总报送. */
  title: string;
  deliverable: string;
  /** `MM-DD`: the plan's date, the city commission's own due date. */
  due: string;
  dueBasis: Basis;
  /**
   * The hospitals' date: this many working days before the commission's, so it has time to review
   * (a per-programme setting; the plans give hospitals no date of their own).
   */
  hospitalLeadWorkingDays: number;
  hospitalLeadBasis: Basis;
  /** Per city commission id, where a city sets its hospitals a different lead. */
  hospitalLeadByCommission: Record<string, number>;
}

/** Who reports to whom (Fujian §三, §四; Jiangsu §七(一)–(二)). */
export interface ReportingChain {
  /**
   * `lead-supporter-city`: the city commission of the lead supporter collects; a provincially managed
   * lead supporter sends directly to the province, and a supporting group led by a commission answers
   * to that commission.
   */
  collector: { rule: 'lead-supporter-city'; basis: Basis };
  forwardings: ForwardingRule[];
}

/** When a target's verdict counts (see Target.judged). */
export const TARGET_JUDGEMENTS = ['each-year', 'plan-end'] as const;
export type TargetJudgement = (typeof TARGET_JUDGEMENTS)[number];

/** How a figure compares with a target's minimum: ≥ (不少于、达到) or > (the plans' 超过). */
export const TARGET_COMPARISONS = ['at-least', 'more-than'] as const;
export type TargetComparison = (typeof TARGET_COMPARISONS)[number];

export interface Target {
  id: string;
  /** Plan section, e.g. 二（六）; the same as `basis.section` for a target the plan sets. */
  citation: string;
  /** Where the target comes from. */
  basis: Basis;
  /** The plan's sentence, quoted. */
  text: string;
  /** `pairing-year` targets are checked per pairing against its annual report; `programme` ones overall. */
  scope: 'pairing-year' | 'programme';
  /**
   * `each-year`: every annual report is judged against it. `plan-end`: an outcome the plan sets for
   * `by`; reports of earlier years show progress towards it, never "unmet".
   */
  judged: TargetJudgement;
  /** What "met" means, in the plan's words, shown next to every verdict. */
  met: string;
  /** Categories of pairing the target applies to (pairing-year scope). */
  appliesTo?: PairingCategory[];
  metric: string;
  /** Minimum value; per category where it differs (e.g. stationed staff: 5, TCM hospitals 3). */
  min?: number;
  minByCategory?: Partial<Record<PairingCategory, number>>;
  /** Default `at-least`. */
  comparison?: TargetComparison;
  /** For list targets such as the five emergency centres. */
  items?: string[];
  /** Year by which the target must be met: the year a `plan-end` target is judged. */
  by?: number;
  /**
   * Why the product gives no verdict: none of the figures it collects can judge the target (the
   * programme-wide rates come from the province's own assessments). Shown in place of a verdict.
   */
  notJudgedReason?: string;
}

export const AGREEMENT_TEMPLATES = ['fujian-annex-3', 'jiangsu-paired-institutions'] as const;
export type AgreementTemplate = (typeof AGREEMENT_TEMPLATES)[number];

/** The pre-filled agreement form of a programme: its text, who signs it, what its preamble cites. */
export interface AgreementFormRule {
  /**
   * `fujian-annex-3`: the tripartite template of Fujian annex 3 (hospitals and the county government);
   * `jiangsu-paired-institutions`: the agreement between the paired institutions, stating the term,
   * goals and tasks (Jiangsu §七(三)), with the tasks of §三 (hospitals) or §四 (CDCs).
   */
  template: AgreementTemplate;
  /** Whether the recipient county's government is a party (Fujian §三(一)); Jiangsu's are not. */
  countyGovernmentSigns: boolean;
  /** The documents the preamble cites, as the template words them (issuers before the title). */
  preambleRefs: { issuers?: string; title: string; id: string }[];
  basis: Basis;
}

export type LeadRule =
  | { rule: 'first-listed' }
  /**
   * Jiangsu annex 1 note: where supporters include both a provincially managed hospital and a tertiary
   * hospital of one of the southern cities, the southern-city hospital leads in principle.
   */
  | { rule: 'southern-city-over-provincial'; southernCities: string[] };

export interface Programme {
  id: string;
  name: string;
  shortName: string;
  province: string;
  /** Documents the plan cites, shown on reports. */
  documentRefs: { id: string; title: string }[];
  agreementForm: AgreementFormRule;
  planYears: number[];
  provincialCommissionId: string;
  leadRule: LeadRule;
  /** Days relative to the due date (negative: before). */
  reminderStages: number[];
  reminderStagesBasis: Basis;
  obligationKinds: ObligationKindRule[];
  targets: Target[];
  /** Escalation route: `supporter-city` (Fujian §3(1)) or `both-cities` (Jiangsu §7(1)–(2)). */
  responsibleCommission: 'supporter-city' | 'paired-cities';
  reportingChain: ReportingChain;
}

export interface Contact {
  institutionId: string;
  role: string;
  name: string;
  email: string;
  phone?: string;
}

/**
 * Obligation states. The first five come from dates and submissions; the rest are set by staff
 * (console, extensions, exemptions) and are part of the model now so later features add no new shape.
 */
export const OBLIGATION_STATES = [
  'upcoming', // not yet open
  'open', // open, not submitted, due date not passed
  'submitted', // submitted by the due date
  'late', // submitted after the due date
  'overdue', // not submitted and the due date has passed
  'returned', // staff returned the submission with a reason: open again
  'accepted', // staff accepted the submission
  'exempt', // staff exempted the obligation
] as const;
export type ObligationState = (typeof OBLIGATION_STATES)[number];

/** Facts recorded about an obligation after it is derived: they drive its state. */
export interface ObligationRecord {
  /** Latest submission time, ISO instant. */
  submittedAt?: string;
  review?: { outcome: 'accepted' | 'returned'; at: string; reason?: string };
  /** A granted extension replaces the due date. */
  extendedTo?: PlainDate;
  exemptedAt?: string;
}

/** What a city commission handed the province when it forwarded (reporting-chain.ts). */
export interface ForwardingRecord extends ObligationRecord {
  forwarded?: {
    /** The staff member who forwarded (their sign-in subject). */
    by: string;
    /** Pairings whose deliverable was accepted when forwarded; the others listed as outstanding. */
    accepted: string[];
    outstanding: string[];
    /** The city's evaluation report (annual) or the status document (agreements), in S3. */
    document?: {
      bucket: string;
      key: string;
      filename: string;
      sha256: string;
      size: number;
      source: 'uploaded' | 'generated';
    };
  };
}

export interface Obligation {
  /** `${pairingId}#${kind}#${year}`. */
  id: string;
  programmeId: string;
  pairingId: string;
  kind: ObligationKind;
  year: number;
  opensOn: PlainDate;
  /**
   * The pairing's due date before any extension: the plan's where the pairing reports to the province
   * directly, otherwise its collecting commission's date for hospitals (reporting-chain.ts).
   */
  dueDate: PlainDate;
  /** The due date in force: the plan's or an extension's. */
  effectiveDueDate: PlainDate;
  /** Who the pairing's deliverable goes to: a city commission, or the province directly. */
  collectorId?: string;
}

/**
 * A city commission's deliverable to the province for one programme, kind and year: it forwards
 * what its pairings delivered (the accepted agreement scans, or its evaluation report). Its record
 * is an ObligationRecord: `submittedAt` is when it was forwarded, a review is the province's.
 */
export interface Forwarding {
  /** `${collectionId}#${kind}#${year}`, collectionId = `${programmeId}~${commissionId}`. */
  id: string;
  programmeId: string;
  commissionId: string;
  kind: ForwardingKind;
  forwards: ObligationKind;
  year: number;
  opensOn: PlainDate;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  /** The pairings whose deliverables this commission collects, sorted. */
  pairingIds: string[];
}
