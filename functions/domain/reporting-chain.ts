/**
 * The reporting chain: who a pairing's deliverable goes to, by when, and what each city commission owes
 * the province in turn. Pure: the calendar and `at` are parameters.
 *
 * Fujian §三(一): the city commissions (设区市卫健委) collect the signed agreement scans of the
 * tertiary hospitals in their jurisdiction and send them to the province by 28 February; provincially
 * managed hospitals send theirs directly. §三(二): every year the city commissions evaluate and report
 * to the province by 10 December. Jiangsu §七(一): the paired city commissions and the provincially
 * managed institutions are the responsible bodies, so the same route applies, with product dates.
 *
 * The plan's date belongs to whoever the plan names (the commission); the hospitals' date is the
 * programme's lead (working days) before it, adjustable per city. A pairing that reports directly has
 * the plan's date and no city step.
 */
import type {
  Forwarding,
  ForwardingRule,
  Institution,
  ObligationKind,
  Pairing,
  PlainDate,
  Programme,
} from './model.ts';
import type { InstitutionDirectory } from './pairings.ts';
import { addDays, dateInYear } from './plain-date.ts';
import { type WorkingDayCalendar, workingDayOnOrBefore } from './working-days.ts';

/** The collection a commission's deliverables and reminder log are kept under. */
export function collectionId(programmeId: string, commissionId: string): string {
  return `${programmeId}~${commissionId}`;
}

export function forwardingId(programmeId: string, commissionId: string, kind: string, year: number): string {
  return `${collectionId(programmeId, commissionId)}#${kind}#${year}`;
}

/** The inverse of collectionId, for ids read back from keys and links. */
export function parseCollectionId(id: string): { programmeId: string; commissionId: string } | undefined {
  const [programmeId, commissionId, ...rest] = id.split('~');
  return programmeId && commissionId && rest.length === 0 ? { programmeId, commissionId } : undefined;
}

/**
 * The commission a pairing reports to. The lead supporter's city commission; a provincially managed
 * lead supporter (省属) reports to the province directly; a supporting group led by a commission
 * answers to that commission. Falls back to the province where the city has no commission on file.
 */
export function collectorOf(
  programme: Programme,
  pairing: Pairing,
  directory: InstitutionDirectory,
): Institution {
  const byId = (id: string) => {
    const institution = directory.byId.get(id);
    if (!institution) throw new RangeError(`pairing ${pairing.id} names unknown institution ${id}`);
    return institution;
  };
  const provincial = byId(programme.provincialCommissionId);
  const lead = byId(pairing.leadSupporterId);
  if (lead.type === 'city-health-commission') return lead;
  if (lead.managedBy === 'province') return provincial;
  const city = directory.cityCommissions.get(`${lead.place.province}/${lead.place.city ?? ''}`);
  return city ?? provincial;
}

/** Whether the pairing skips the city step (its collector is the provincial commission). */
export function reportsDirectly(programme: Programme, collector: Institution): boolean {
  return collector.id === programme.provincialCommissionId;
}

export function forwardingRuleFor(programme: Programme, kind: ObligationKind): ForwardingRule | undefined {
  return programme.reportingChain.forwardings.find((f) => f.forwards === kind);
}

/** The lead (working days) a city commission gives its hospitals for one forwarding. */
export function hospitalLead(rule: ForwardingRule, commissionId: string): number {
  return rule.hospitalLeadByCommission[commissionId] ?? rule.hospitalLeadWorkingDays;
}

/** `days` working days before `date` (0: `date` itself, moved back to a working day). */
export function workingDaysBefore(calendar: WorkingDayCalendar, date: PlainDate, days: number): PlainDate {
  let day = workingDayOnOrBefore(calendar, date);
  for (let i = 0; i < days; i++) day = workingDayOnOrBefore(calendar, addDays(day, -1));
  return day;
}

/**
 * The pairing's due date for a kind and year: the plan's date when it reports directly (or the kind
 * is not forwarded), otherwise its collector's lead before the commission's date.
 */
export function pairingDueDate(
  programme: Programme,
  kind: ObligationKind,
  year: number,
  planDue: string,
  collector: Institution,
  calendar: WorkingDayCalendar,
): PlainDate {
  const planDate = dateInYear(year, planDue);
  const rule = forwardingRuleFor(programme, kind);
  if (!rule || reportsDirectly(programme, collector)) return planDate;
  return workingDaysBefore(calendar, dateInYear(year, rule.due), hospitalLead(rule, collector.id));
}

/**
 * Every city commission's deliverables: one per forwarding rule and year of the kind it forwards, for
 * each commission that collects from at least one pairing. Direct pairings have none.
 */
export function forwardingsOf(
  programme: Programme,
  pairings: readonly Pairing[],
  directory: InstitutionDirectory,
): Forwarding[] {
  const byCommission = new Map<string, string[]>();
  for (const pairing of pairings) {
    const collector = collectorOf(programme, pairing, directory);
    if (reportsDirectly(programme, collector)) continue;
    byCommission.set(collector.id, [...(byCommission.get(collector.id) ?? []), pairing.id]);
  }
  const forwardings: Forwarding[] = [];
  for (const rule of programme.reportingChain.forwardings) {
    const kindRule = programme.obligationKinds.find((k) => k.kind === rule.forwards);
    if (!kindRule) continue;
    for (const [commissionId, pairingIds] of [...byCommission].sort(([a], [b]) => a.localeCompare(b))) {
      for (const year of kindRule.years) {
        const dueDate = dateInYear(year, rule.due);
        forwardings.push({
          id: forwardingId(programme.id, commissionId, rule.kind, year),
          programmeId: programme.id,
          commissionId,
          kind: rule.kind,
          forwards: rule.forwards,
          year,
          opensOn: dateInYear(year, kindRule.opens),
          dueDate,
          effectiveDueDate: dueDate,
          pairingIds: [...pairingIds].sort(),
        });
      }
    }
  }
  return forwardings;
}
