/**
 * Every obligation of a programme with its due date and state at an instant, and both levels of the
 * reporting chain: the city commissions' forwardings and the pairings that report directly.
 *
 * 1. Read the programme's pairings, obligations and forwardings (index queries) and the institutions.
 * 2. Derive each obligation's and each forwarding's state at `at` (domain/timeline.ts), and how far
 *    each commission's pairings have got (domain/chain-status.ts).
 */
import {
  type ChainStatus,
  chainStatus,
  type DirectStatus,
  type ForwardingStatus,
  type PairingTally,
} from '../domain/chain-status.ts';
import { userFacingError } from '../domain/errors.ts';
import type { Institution, ObligationState, PairingCategory, Programme, TaskLevel } from '../domain/model.ts';
import { institutionDirectory } from '../domain/pairings.ts';
import { collectorOf, forwardingRuleFor } from '../domain/reporting-chain.ts';
import { obligationState } from '../domain/timeline.ts';
import type { ChainStatusStore } from './ports.ts';

export interface ObligationStatus {
  /** What staff commands take: `bangfu exempt <obligationId>` … */
  obligationId: string;
  programme: string;
  pairing: string;
  recipient: string;
  /** Supporter names in the plan's order. */
  supporters: string[];
  lead: string;
  category: PairingCategory;
  taskLevels: TaskLevel[];
  kind: string;
  kindTitle: string;
  year: number;
  dueDate: string;
  effectiveDueDate: string;
  state: ObligationState;
  submittedAt?: string;
  /** Who the deliverable goes to: the lead supporter's city commission, or the province directly. */
  collectorId: string;
  collector: string;
  reportsDirectly: boolean;
  /** The city commission's forwarding that passes this deliverable on to the province, if any. */
  forwarding?: ForwardingSummary;
}

/** A city commission's forwarding as `bangfu status` shows it: the chain's status, named. */
export interface ForwardingSummary {
  forwardingId: string;
  commissionId: string;
  commission: string;
  kind: string;
  title: string;
  forwards: string;
  year: number;
  dueDate: string;
  effectiveDueDate: string;
  state: ObligationState;
  forwardedAt?: string;
  returnedReason?: string;
  /** The hospitals' dates of its pairings. */
  pairingDueDates: string[];
  tally: PairingTally;
}

export interface DirectSummary {
  forwards: string;
  forwardsTitle: string;
  year: number;
  pairingIds: string[];
  pairingDueDates: string[];
  tally: PairingTally;
}

export interface ProgrammeStatus {
  obligations: ObligationStatus[];
  forwardings: ForwardingSummary[];
  direct: DirectSummary[];
}

export class UnknownProgrammeError extends userFacingError('unknown-programme') {
  override readonly name = 'UnknownProgrammeError';
  constructor(
    readonly programmeId: string,
    known: string[],
  ) {
    super(`unknown programme "${programmeId}" (known: ${known.join(', ') || 'none; load the seeds first'})`);
  }
}

/** Every obligation's status; each names its collector and the forwarding it goes on in. */
export async function programmeStatus(
  store: ChainStatusStore,
  programmeId: string,
  at: Date,
): Promise<ObligationStatus[]> {
  return (await programmeChainStatus(store, programmeId, at)).obligations;
}

export async function programmeChainStatus(
  store: ChainStatusStore,
  programmeId: string,
  at: Date,
): Promise<ProgrammeStatus> {
  const programmes = await store.listProgrammes();
  const programme = programmes.find((p) => p.id === programmeId);
  if (!programme)
    throw new UnknownProgrammeError(
      programmeId,
      programmes.map((p) => p.id),
    );
  const [pairings, obligations, forwardings, institutions] = await Promise.all([
    store.listPairings(programmeId),
    store.listObligations(programmeId),
    store.listForwardings(programmeId),
    store.listInstitutions(),
  ]);
  const nameOf = nameLookup(institutions);
  const directory = institutionDirectory(institutions);
  const pairingById = new Map(pairings.map((p) => [p.id, p]));
  const titleOf = new Map(programme.obligationKinds.map((k) => [k.kind, k.title]));
  const chain: ChainStatus = chainStatus({ programme, pairings, directory, obligations, forwardings, at });
  const summaries = chain.forwardings.map((f) => forwardingSummary(f, nameOf, programme));
  // The forwarding each pairing's deliverable goes on in: commission × kind forwarded × year.
  const forwardingOf = new Map(
    summaries.flatMap((summary, i) =>
      (chain.forwardings[i] as ForwardingStatus).pairingIds.map(
        (pairingId) => [`${pairingId}#${summary.forwards}#${summary.year}`, summary] as const,
      ),
    ),
  );
  const rows = obligations
    .flatMap(({ obligation, record }): ObligationStatus[] => {
      const pairing = pairingById.get(obligation.pairingId);
      if (!pairing) return [];
      const collectorId = obligation.collectorId ?? collectorOf(programme, pairing, directory).id;
      const forwarding = forwardingOf.get(`${pairing.id}#${obligation.kind}#${obligation.year}`);
      return [
        {
          obligationId: obligation.id,
          programme: programme.id,
          pairing: pairing.id,
          recipient: nameOf(pairing.recipientId),
          supporters: pairing.supporterIds.map(nameOf),
          lead: nameOf(pairing.leadSupporterId),
          category: pairing.category,
          taskLevels: pairing.taskLevels,
          kind: obligation.kind,
          kindTitle: titleOf.get(obligation.kind) ?? obligation.kind,
          year: obligation.year,
          dueDate: obligation.dueDate,
          effectiveDueDate: obligation.effectiveDueDate,
          state: obligationState(obligation, record, at),
          ...(record.submittedAt ? { submittedAt: record.submittedAt } : {}),
          collectorId,
          collector: nameOf(collectorId),
          reportsDirectly: collectorId === programme.provincialCommissionId,
          ...(forwarding ? { forwarding } : {}),
        },
      ];
    })
    .sort(
      (a, b) =>
        a.effectiveDueDate.localeCompare(b.effectiveDueDate) ||
        a.kind.localeCompare(b.kind) ||
        a.pairing.localeCompare(b.pairing),
    );
  return {
    obligations: rows,
    forwardings: summaries,
    direct: chain.direct.map(
      (d: DirectStatus): DirectSummary => ({ ...d, forwardsTitle: titleOf.get(d.forwards) ?? d.forwards }),
    ),
  };
}

function forwardingSummary(
  status: ForwardingStatus,
  nameOf: (id: string) => string,
  programme: Programme,
): ForwardingSummary {
  const { pairingIds: _pairingIds, ...rest } = status;
  return {
    ...rest,
    commission: nameOf(status.commissionId),
    title: forwardingRuleFor(programme, status.forwards)?.title ?? status.kind,
  };
}

function nameLookup(institutions: readonly Institution[]): (id: string) => string {
  const names = new Map(institutions.map((i) => [i.id, i.name]));
  return (id) => names.get(id) ?? id;
}
