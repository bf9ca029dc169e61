/**
 * The console's view of the reporting chain (domain/reporting-chain.ts), Fujian §三(一)–(二):
 *
 * - `forwardingPage`: a city commission's page of one forwarding (programme, kind, year): the pairings
 *   it collects with their deliverables' states, the hospitals' and its own due date, what it
 *   forwarded and what the province said; for the provincial commission the same kind and year per
 *   city commission (forwarded, pending, late, returned, accepted), and the pairings that report to
 *   it directly.
 * - `forwardingLinks`: the pages the overview links to, for this staff member.
 * - `pairingRoute`: who collects a pairing's deliverables, by when, and the basis of each rule.
 */

import chain from '../../templates/chain.zh.json' with { type: 'json' };
import type {
  Basis,
  ForwardingKind,
  ForwardingRecord,
  Institution,
  ObligationState,
  Pairing,
  PlainDate,
  Programme,
} from '../domain/model.ts';
import type { InstitutionDirectory } from '../domain/pairings.ts';
import { dateInYear } from '../domain/plain-date.ts';
import type { ObligationWithRecord, StoredForwarding } from '../domain/records.ts';
import { collectorOf, forwardingRuleFor, reportsDirectly } from '../domain/reporting-chain.ts';
import { type ProgrammeHeading, programmeHeading } from '../domain/reports/snapshot.ts';
import { mayDo, StaffForbiddenError, type StaffIdentity } from '../domain/staff.ts';
import { awaitsSubmission, obligationState } from '../domain/timeline.ts';
import { fill } from '../domain/wording.ts';
import { programmeInScope } from './console-scope.ts';
import { forwardingRuleOf, UnknownForwardingError } from './forwarding-actions.ts';
import type { ForwardingStore, StatusStore } from './ports.ts';

export interface ChainPorts {
  store: StatusStore & Pick<ForwardingStore, 'listForwardings'>;
}

/** One pairing a commission collects (or one reporting directly), as its deliverable stands. */
export interface ChainPairingRow {
  pairingId: string;
  recipient: string;
  lead: string;
  state: ObligationState;
  /** The pairing's due date in force (the hospitals' date, or an extension). */
  dueDate: PlainDate;
}

/** What the chain pages say of a forwarding rule. */
export interface ChainRule {
  kind: ForwardingKind;
  title: string;
  dueBasis: Basis;
  hospitalLeadBasis: Basis;
}

/** What a commission forwarded, and the province's review. */
export interface ForwardingFacts {
  state: ObligationState;
  /** The state as the chain pages word it: forwarded, pending, late, returned, accepted, exempt. */
  status: ForwardingStatus;
  dueDate: PlainDate;
  record: ForwardingRecord;
  /** The name of who forwarded last (from the audit entry), when forwarded. */
  forwardedByName?: string;
}

export interface CityForwardingView {
  role: 'city';
  programme: ProgrammeHeading;
  at: string;
  commissionId: string;
  commission: string;
  rule: ChainRule;
  year: number;
  /** The date the commission set its hospitals (the earliest of its pairings', before extensions). */
  hospitalDueDate: PlainDate | undefined;
  forwarding: ForwardingFacts;
  rows: ChainPairingRow[];
  /** Accepted or exempt now; the rest would be listed as outstanding. */
  accepted: number;
  outstanding: number;
  /** The actor may forward now (a reviewer or admin, not forwarded or returned). */
  canForward: boolean;
  mayAct: boolean;
}

/** One city's forwarding as the chain pages word it. */
export type ForwardingStatus = 'forwarded' | 'pending' | 'late' | 'returned' | 'accepted' | 'exempt';

export interface ProvinceCommissionRow extends ForwardingFacts {
  commissionId: string;
  commission: string;
  pairingCount: number;
  canReview: boolean;
}

export interface ProvinceForwardingView {
  role: 'province';
  programme: ProgrammeHeading;
  at: string;
  rule: ChainRule;
  year: number;
  /** The plan's date for the city commissions. */
  dueDate: PlainDate;
  commissions: ProvinceCommissionRow[];
  /** Pairings whose lead is provincially managed: they report to the province directly. */
  direct: ChainPairingRow[];
  mayAct: boolean;
}

export type ForwardingPageView = CityForwardingView | ProvinceForwardingView;

/**
 * 1. Read the programme in the staff member's jurisdiction and its forwardings of `kind` and `year`.
 * 2. The provincial commission gets every city's forwarding and the direct pairings; a city
 *    commission its own forwarding (none: StaffForbiddenError, it collects nothing of this kind).
 */
export async function forwardingPage(
  ports: ChainPorts,
  staff: StaffIdentity,
  programmeId: string,
  kind: string,
  year: number,
  now: Date,
): Promise<ForwardingPageView> {
  const scope = await programmeInScope(ports.store, staff, programmeId);
  const { programme, directory } = scope;
  const rule = forwardingRuleOf(programme, kind);
  const kindRule = rule && programme.obligationKinds.find((k) => k.kind === rule.forwards);
  if (!rule || !kindRule?.years.includes(year)) {
    throw new UnknownForwardingError(
      fill(chain.refused.unknownForwarding, { commission: programme.shortName, kind, year }),
    );
  }
  const forwardings = (await ports.store.listForwardings(programme.id)).filter(
    (f) => f.forwarding.kind === rule.kind && f.forwarding.year === year,
  );
  const deliverables = new Map(
    scope.obligations
      .filter((o) => o.obligation.kind === rule.forwards && o.obligation.year === year)
      .map((o) => [o.obligation.pairingId, o]),
  );
  const pairingsById = new Map(scope.pairings.map((p) => [p.id, p]));
  const rowOf = (pairing: Pairing): ChainPairingRow[] => {
    const deliverable = deliverables.get(pairing.id);
    return deliverable ? [pairingRow(pairing, deliverable, directory, now)] : [];
  };
  const chainRule: ChainRule = {
    kind: rule.kind,
    title: rule.title,
    dueBasis: rule.dueBasis,
    hospitalLeadBasis: rule.hospitalLeadBasis,
  };
  const base = { programme: programmeHeading(programme), at: now.toISOString(), rule: chainRule, year };
  const mayAct = mayDo(staff, 'review');

  if (staff.commissionId === programme.provincialCommissionId) {
    return {
      role: 'province',
      ...base,
      dueDate: dateInYear(year, rule.due),
      mayAct,
      commissions: forwardings.map((stored) => {
        const facts = forwardingFacts(stored, now);
        return {
          ...facts,
          commissionId: stored.forwarding.commissionId,
          commission: nameOf(directory, stored.forwarding.commissionId),
          pairingCount: stored.forwarding.pairingIds.length,
          canReview: mayAct && ['forwarded', 'accepted'].includes(facts.status),
        };
      }),
      direct: scope.pairings
        .filter((p) => reportsDirectly(programme, collectorOf(programme, p, directory)))
        .flatMap(rowOf),
    };
  }

  const own = forwardings.find((f) => f.forwarding.commissionId === staff.commissionId);
  if (!own) {
    throw new StaffForbiddenError(
      'jurisdiction',
      fill(chain.refused.notACollector, {
        commission: nameOf(directory, staff.commissionId),
        title: rule.title,
        year,
      }),
    );
  }
  const rows = own.forwarding.pairingIds.flatMap((id) => {
    const pairing = pairingsById.get(id);
    return pairing ? rowOf(pairing) : [];
  });
  const accepted = rows.filter((r) => r.state === 'accepted' || r.state === 'exempt').length;
  const hospitalDates = own.forwarding.pairingIds
    .flatMap((id) => deliverables.get(id)?.obligation.dueDate ?? [])
    .sort();
  const facts = forwardingFacts(own, now);
  return {
    role: 'city',
    ...base,
    commissionId: staff.commissionId,
    commission: nameOf(directory, staff.commissionId),
    hospitalDueDate: hospitalDates[0],
    forwarding: facts,
    rows,
    accepted,
    outstanding: rows.length - accepted,
    mayAct,
    canForward: mayAct && !own.record.exemptedAt && (!own.record.submittedAt || awaitsSubmission(own.record)),
  };
}

/** A chain page the overview links to: the city's own forwarding, or the province's page of all. */
export interface ForwardingLink {
  kind: ForwardingKind;
  title: string;
  year: number;
  scope: 'city' | 'province';
}

/** The chain pages this staff member has: none for a commission that collects nothing. */
export async function forwardingLinks(
  ports: ChainPorts,
  staff: StaffIdentity,
  programme: Programme,
): Promise<ForwardingLink[]> {
  const province = staff.commissionId === programme.provincialCommissionId;
  const forwardings = await ports.store.listForwardings(programme.id);
  const links = new Map<string, ForwardingLink>();
  for (const { forwarding } of forwardings) {
    if (!province && forwarding.commissionId !== staff.commissionId) continue;
    const rule = programme.reportingChain.forwardings.find((f) => f.kind === forwarding.kind);
    if (!rule) continue;
    links.set(`${forwarding.kind}#${forwarding.year}`, {
      kind: forwarding.kind,
      title: rule.title,
      year: forwarding.year,
      scope: province ? 'province' : 'city',
    });
  }
  return [...links.values()].sort((a, b) => a.year - b.year || a.kind.localeCompare(b.kind));
}

/** One line of the pairing page's route: a deliverable, its two dates and their bases. */
export interface RouteItem {
  kind: ForwardingKind | undefined;
  obligationTitle: string;
  year: number;
  hospitalDue: PlainDate;
  /** The collecting commission's date to the province; none when the pairing reports directly. */
  commissionDue?: PlainDate;
  dueBasis?: Basis;
  hospitalLeadBasis?: Basis;
}

export interface PairingRoute {
  /** The collecting city commission; undefined when the pairing reports to the province directly. */
  collector?: { id: string; name: string };
  collectorBasis: Basis;
  items: RouteItem[];
}

/** Who collects the pairing's deliverables, its hospitals' and its commission's dates, and why. */
export function pairingRoute(
  programme: Programme,
  pairing: Pairing,
  directory: InstitutionDirectory,
  obligations: readonly ObligationWithRecord[],
): PairingRoute {
  const collector = collectorOf(programme, pairing, directory);
  const direct = reportsDirectly(programme, collector);
  const items = obligations
    .filter((o) => o.obligation.pairingId === pairing.id)
    .map(({ obligation }): RouteItem => {
      const rule = forwardingRuleFor(programme, obligation.kind);
      const title =
        programme.obligationKinds.find((k) => k.kind === obligation.kind)?.title ?? obligation.kind;
      return {
        kind: rule?.kind,
        obligationTitle: title,
        year: obligation.year,
        hospitalDue: obligation.dueDate,
        ...(rule && !direct
          ? {
              commissionDue: dateInYear(obligation.year, rule.due),
              dueBasis: rule.dueBasis,
              hospitalLeadBasis: rule.hospitalLeadBasis,
            }
          : {}),
      };
    })
    .sort((a, b) => a.year - b.year || a.hospitalDue.localeCompare(b.hospitalDue));
  return {
    ...(direct ? {} : { collector: { id: collector.id, name: collector.name } }),
    collectorBasis: programme.reportingChain.collector.basis,
    items,
  };
}

function forwardingFacts(stored: StoredForwarding, now: Date): ForwardingFacts {
  const state = obligationState(stored.forwarding, stored.record, now);
  const last = stored.audit?.filter((a) => a.action === 'forward').at(-1);
  return {
    state,
    status: forwardingStatus(state),
    dueDate: stored.forwarding.effectiveDueDate,
    record: stored.record,
    ...(stored.record.forwarded && last ? { forwardedByName: last.actor.name } : {}),
  };
}

function forwardingStatus(state: ObligationState): ForwardingStatus {
  switch (state) {
    case 'submitted':
    case 'late':
      return 'forwarded';
    case 'overdue':
      return 'late';
    case 'returned':
    case 'accepted':
    case 'exempt':
      return state;
    default:
      return 'pending';
  }
}

function pairingRow(
  pairing: Pairing,
  { obligation, record }: ObligationWithRecord,
  directory: InstitutionDirectory,
  now: Date,
): ChainPairingRow {
  return {
    pairingId: pairing.id,
    recipient: nameOf(directory, pairing.recipientId),
    lead: nameOf(directory, pairing.leadSupporterId),
    state: obligationState(obligation, record, now),
    dueDate: obligation.effectiveDueDate,
  };
}

const nameOf = (directory: InstitutionDirectory, id: string) =>
  (directory.byId.get(id) as Institution | undefined)?.name ?? id;
