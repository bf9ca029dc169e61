/**
 * The shape of the files in `seeds/`: checked before anything is written.
 * Names in annex rows are the plan's, character for character; the loader resolves them to
 * institutions through each institution's name and aliases.
 */
import { z } from 'zod';
import {
  AGREEMENT_TEMPLATES,
  FORWARDING_KINDS,
  INSTITUTION_TYPES,
  MANAGING_LEVELS,
  OBLIGATION_KINDS,
  PAIRING_CATEGORIES,
  PARTIES,
  TARGET_COMPARISONS,
  TARGET_JUDGEMENTS,
  TASK_LEVELS,
} from './model.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase ASCII letters, digits and hyphens');
const chineseName = z.string().trim().min(2);
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');
const party = z.enum(PARTIES);

export const institutionSchema = z.strictObject({
  id,
  name: chineseName,
  aliases: z.array(chineseName).default([]),
  type: z.enum(INSTITUTION_TYPES),
  place: z.strictObject({
    province: chineseName,
    city: chineseName.optional(),
    county: chineseName.optional(),
  }),
  managedBy: z.enum(MANAGING_LEVELS),
  note: z.string().optional(),
});

export const institutionsFileSchema = z.strictObject({
  institutions: z.array(institutionSchema).min(1),
});

export const annexRowSchema = z.strictObject({
  /** 序号 as printed; rows sharing a merged cell repeat it. */
  seq: z.number().int().positive().optional(),
  /** 省份 column where the table has one (Fujian annex 1), filled down across merged cells. */
  province: z.string().optional(),
  /** 县名称 column, filled down across merged cells. */
  county: z.string().optional(),
  recipient: chineseName,
  supporters: z.array(chineseName).min(1),
  /** Overrides the annex's category for this row (e.g. a TCM hospital in a general table). */
  category: z.enum(PAIRING_CATEGORIES).optional(),
  /** Names the lead where the plan says so explicitly; otherwise the programme's lead rule decides. */
  lead: chineseName.optional(),
});

export const annexSchema = z.strictObject({
  annex: z.string().min(1),
  title: z.string().min(1),
  taskLevel: z.enum(TASK_LEVELS).optional(),
  category: z.enum(PAIRING_CATEGORIES),
  note: z.string().optional(),
  rows: z.array(annexRowSchema).min(1),
});

/** Every date and route says where it comes from: the plan's section, or a product default and why. */
export const basisSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('plan'), section: z.string().min(1) }),
  z.strictObject({ source: z.literal('product-default'), reason: chineseName }),
]);

export const obligationKindSchema = z.strictObject({
  /** Code branches on the kind (the annual report carries figures): only the kinds it knows. */
  kind: z.enum(OBLIGATION_KINDS, { error: `must be one of ${OBLIGATION_KINDS.join(', ')}` }),
  title: chineseName,
  deliverable: chineseName,
  citation: z.string().min(1),
  years: z.array(z.number().int().min(2000).max(2100)).min(1),
  opens: monthDay,
  opensBasis: basisSchema,
  due: monthDay,
  dueBasis: basisSchema,
  submittedBy: z.array(party).min(1),
  overseenBy: z.array(party).min(1),
  remind: z.strictObject({ to: z.array(party).min(1), cc: z.array(party) }),
  escalation: z.strictObject({ afterDue: z.array(party), lastStage: z.array(party) }),
});

export const forwardingRuleSchema = z.strictObject({
  kind: z.enum(FORWARDING_KINDS, { error: `must be one of ${FORWARDING_KINDS.join(', ')}` }),
  forwards: z.enum(OBLIGATION_KINDS),
  title: chineseName,
  deliverable: chineseName,
  due: monthDay,
  dueBasis: basisSchema,
  hospitalLeadWorkingDays: z.number().int().min(0).max(30),
  hospitalLeadBasis: basisSchema,
  /** City commission id → its own lead, where a city sets its hospitals a different date. */
  hospitalLeadByCommission: z.record(z.string().min(1), z.number().int().min(0).max(30)),
});

export const reportingChainSchema = z.strictObject({
  collector: z.strictObject({ rule: z.literal('lead-supporter-city'), basis: basisSchema }),
  forwardings: z.array(forwardingRuleSchema),
});

export const targetSchema = z
  .strictObject({
    id,
    citation: z.string().min(1),
    basis: basisSchema,
    text: chineseName,
    scope: z.enum(['pairing-year', 'programme']),
    judged: z.enum(TARGET_JUDGEMENTS),
    met: chineseName,
    appliesTo: z.array(z.enum(PAIRING_CATEGORIES)).optional(),
    metric: z.string().min(1),
    min: z.number().nonnegative().optional(),
    minByCategory: z.partialRecord(z.enum(PAIRING_CATEGORIES), z.number().nonnegative()).optional(),
    comparison: z.enum(TARGET_COMPARISONS).optional(),
    items: z.array(chineseName).optional(),
    by: z.number().int().optional(),
    notJudgedReason: chineseName.optional(),
  })
  .superRefine((target, context) => {
    if (target.basis.source === 'plan' && target.basis.section !== target.citation) {
      const message = `basis.section "${target.basis.section}" differs from citation "${target.citation}"`;
      context.addIssue({ code: 'custom', path: ['basis', 'section'], message });
    }
    if (target.judged === 'plan-end' && target.by === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['by'],
        message: 'a plan-end target names the year it is judged',
      });
    }
    // No figure the product collects judges the whole programme: a programme target says why.
    if (target.scope === 'programme' && target.notJudgedReason === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['notJudgedReason'],
        message: 'a programme-scope target says why the product does not judge it',
      });
    }
  });

export const agreementFormSchema = z.strictObject({
  template: z.enum(AGREEMENT_TEMPLATES),
  countyGovernmentSigns: z.boolean(),
  preambleRefs: z
    .array(
      z.strictObject({ issuers: chineseName.optional(), title: z.string().min(1), id: z.string().min(1) }),
    )
    .min(1),
  basis: basisSchema,
});

export const programmeFileSchema = z.strictObject({
  id,
  name: chineseName,
  shortName: chineseName,
  province: chineseName,
  documentRefs: z.array(z.strictObject({ id: z.string().min(1), title: z.string().min(1) })),
  agreementForm: agreementFormSchema,
  planYears: z.array(z.number().int()).min(1),
  /** Name (or alias) of the provincial commission institution. */
  provincialCommission: chineseName,
  leadRule: z.discriminatedUnion('rule', [
    z.strictObject({ rule: z.literal('first-listed') }),
    z.strictObject({
      rule: z.literal('southern-city-over-provincial'),
      southernCities: z.array(chineseName).min(1),
    }),
  ]),
  responsibleCommission: z.enum(['supporter-city', 'paired-cities']),
  reportingChain: reportingChainSchema,
  reminderStages: z.array(z.number().int().min(-366).max(366)).min(1),
  reminderStagesBasis: basisSchema,
  obligationKinds: z.array(obligationKindSchema).min(1),
  targets: z.array(targetSchema),
  annexes: z.array(annexSchema).min(1),
});

export type InstitutionsFile = z.infer<typeof institutionsFileSchema>;
export type ProgrammeFile = z.infer<typeof programmeFileSchema>;
export type AnnexRow = z.infer<typeof annexRowSchema>;
