/**
 * Pairings from the plans' annex tables: names resolved to institutions, one pairing per recipient
 * (a recipient listed at both the national and the provincial level is one pairing with two task
 * levels, so nobody is reminded twice), and the lead supporter chosen by the programme's rule.
 */

import labels from '../../templates/labels.zh.json' with { type: 'json' };
import type { Institution, LeadRule, Pairing, PairingCategory, TaskLevel } from './model.ts';
import type { ProgrammeFile } from './seed-schema.ts';
import type { ValidationIssue } from './validation.ts';
import { fill } from './wording.ts';

export interface InstitutionDirectory {
  byId: Map<string, Institution>;
  /** Every name and alias → institution. */
  byName: Map<string, Institution>;
  /** City health commissions by `province/city`: the reporting chain's collectors. */
  cityCommissions: Map<string, Institution>;
  /** County governments by `province/county`: the third party of Fujian's agreement. */
  countyGovernments: Map<string, Institution>;
}

export function institutionDirectory(institutions: readonly Institution[]): InstitutionDirectory {
  return {
    byId: new Map(institutions.map((i) => [i.id, i])),
    byName: new Map(institutions.flatMap((i) => [i.name, ...i.aliases].map((name) => [name, i] as const))),
    cityCommissions: new Map(
      institutions
        .filter((i) => i.type === 'city-health-commission')
        .map((i) => [`${i.place.province}/${i.place.city ?? ''}`, i]),
    ),
    countyGovernments: new Map(
      institutions
        .filter((i) => i.type === 'county-government')
        .map((i) => [`${i.place.province}/${i.place.county ?? ''}`, i]),
    ),
  };
}

export function pairingId(programmeId: string, recipientId: string): string {
  return `${programmeId}.${recipientId}`;
}

/**
 * Jiangsu annex 1 note: where a pairing has both a provincially managed hospital and a tertiary
 * hospital of a southern city, the southern-city hospital leads in principle; everywhere else (and in
 * Fujian) the first-listed supporter leads. An explicit lead in the seed overrides both, as the note
 * allows a provincially managed hospital to lead by agreement.
 */
export function leadSupporter(rule: LeadRule, supporters: readonly Institution[]): Institution {
  const first = supporters[0];
  if (!first) throw new RangeError('a pairing needs at least one supporter');
  if (rule.rule === 'first-listed') return first;
  const hasProvincial = supporters.some((s) => s.managedBy === 'province');
  const southern = supporters.find(
    (s) =>
      s.managedBy !== 'province' && s.place.city !== undefined && rule.southernCities.includes(s.place.city),
  );
  return hasProvincial && southern ? southern : first;
}

export interface BuiltPairings {
  pairings: Pairing[];
  issues: ValidationIssue[];
}

export function pairingsFromAnnexes(
  file: string,
  programme: ProgrammeFile,
  directory: InstitutionDirectory,
): BuiltPairings {
  const issues: ValidationIssue[] = [];
  const byRecipient = new Map<string, Pairing>();
  const explicitLeads = new Map<string, string>();

  programme.annexes.forEach((annex, a) => {
    annex.rows.forEach((row, r) => {
      const locator = annexRowLocator(annex.annex, row.seq, r);
      const field = (name: string) => `annexes[${a}].rows[${r}].${name}`;
      const resolve = (name: string, fieldName: string) => {
        const institution = directory.byName.get(name);
        if (!institution) {
          issues.push({
            file,
            row: locator,
            field: field(fieldName),
            message: `unknown institution "${name}"`,
          });
        }
        return institution;
      };
      const recipient = resolve(row.recipient, 'recipient');
      const supporters = row.supporters.map((name, s) => resolve(name, `supporters[${s}]`));
      const lead = row.lead === undefined ? undefined : resolve(row.lead, 'lead');
      if (!recipient || supporters.some((s) => !s) || (row.lead && !lead)) return;
      const supporterIds = (supporters as Institution[]).map((s) => s.id);
      if (new Set(supporterIds).size !== supporterIds.length) {
        issues.push({
          file,
          row: locator,
          field: field('supporters'),
          message: 'a supporter is listed twice',
        });
        return;
      }
      if (lead && !supporterIds.includes(lead.id)) {
        issues.push({
          file,
          row: locator,
          field: field('lead'),
          message: `"${row.lead}" is not a supporter of this row`,
        });
        return;
      }
      const category: PairingCategory = row.category ?? annex.category;
      const levels: TaskLevel[] = annex.taskLevel ? [annex.taskLevel] : [];
      const source = {
        annex: annex.annex,
        ...(row.seq !== undefined ? { seq: row.seq } : {}),
        ...(annex.taskLevel ? { taskLevel: annex.taskLevel } : {}),
        recipientName: row.recipient,
        supporterNames: [...row.supporters],
      };
      const existing = byRecipient.get(recipient.id);
      if (existing) {
        if (existing.supporterIds.join() !== supporterIds.join() || existing.category !== category) {
          issues.push({
            file,
            row: locator,
            field: field('supporters'),
            message: `"${row.recipient}" is listed again with different supporters or category; one recipient has one pairing per programme`,
          });
          return;
        }
        existing.taskLevels = [...new Set([...existing.taskLevels, ...levels])];
        existing.sources.push(source);
        if (lead) explicitLeads.set(recipient.id, lead.id);
        return;
      }
      if (lead) explicitLeads.set(recipient.id, lead.id);
      byRecipient.set(recipient.id, {
        id: pairingId(programme.id, recipient.id),
        programmeId: programme.id,
        recipientId: recipient.id,
        supporterIds,
        leadSupporterId: '',
        category,
        taskLevels: levels,
        sources: [source],
      });
    });
  });

  const pairings = [...byRecipient.values()].map((pairing) => {
    const supporters = pairing.supporterIds.map((id) => directory.byId.get(id) as Institution);
    const lead = explicitLeads.get(pairing.recipientId) ?? leadSupporter(programme.leadRule, supporters).id;
    return { ...pairing, leadSupporterId: lead };
  });
  return { pairings, issues };
}

/** Where a seed table row is, as the printed plan names it: `附件1 序号11`, or `附件3 第4行`. */
export function annexRowLocator(annex: string, seq: number | string | undefined, index: number): string {
  return seq !== undefined
    ? fill(labels.annexRow.withSeq, { annex, seq })
    : fill(labels.annexRow.withoutSeq, { annex, row: index + 1 });
}
