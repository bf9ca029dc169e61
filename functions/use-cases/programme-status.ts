/**
 * Every obligation of a programme with its due date and state at an instant.
 *
 * 1. Read the programme's pairings and obligations (two index queries) and the institutions.
 * 2. Derive each obligation's state at `at`.
 */
import { userFacingError } from '../domain/errors.ts';
import type { Institution, ObligationState, PairingCategory, TaskLevel } from '../domain/model.ts';
import { obligationState } from '../domain/timeline.ts';
import type { StatusStore } from './ports.ts';

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

export async function programmeStatus(
  store: StatusStore,
  programmeId: string,
  at: Date,
): Promise<ObligationStatus[]> {
  const programmes = await store.listProgrammes();
  const programme = programmes.find((p) => p.id === programmeId);
  if (!programme)
    throw new UnknownProgrammeError(
      programmeId,
      programmes.map((p) => p.id),
    );
  const [pairings, obligations, institutions] = await Promise.all([
    store.listPairings(programmeId),
    store.listObligations(programmeId),
    store.listInstitutions(),
  ]);
  const nameOf = nameLookup(institutions);
  const pairingById = new Map(pairings.map((p) => [p.id, p]));
  const titleOf = new Map(programme.obligationKinds.map((k) => [k.kind, k.title]));
  return obligations
    .flatMap(({ obligation, record }) => {
      const pairing = pairingById.get(obligation.pairingId);
      if (!pairing) return [];
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
        },
      ];
    })
    .sort(
      (a, b) =>
        a.effectiveDueDate.localeCompare(b.effectiveDueDate) ||
        a.kind.localeCompare(b.kind) ||
        a.pairing.localeCompare(b.pairing),
    );
}

function nameLookup(institutions: readonly Institution[]): (id: string) => string {
  const names = new Map(institutions.map((i) => [i.id, i.name]));
  return (id) => names.get(id) ?? id;
}
