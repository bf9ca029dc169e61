/**
 * What a demo replay did, read back from where everyone else reads it: the mail from the home's
 * outbox (as `bangfu outbox` shows it), the obligations' and forwardings' states from the programme
 * status (as `bangfu status` shows it), returns from the audit entries, documents from their records.
 */
import { join } from 'node:path';
import type { DynamoStore } from '../../adapters/dynamo-store.ts';
import type { ObligationState, PlainDate } from '../../domain/model.ts';
import { deadlineOf } from '../../domain/plain-date.ts';
import { DOCUMENT_TYPES, type DocumentType } from '../../domain/records.ts';
import type { ChainStatusStore, DocumentStore } from '../../use-cases/ports.ts';
import { programmeChainStatus } from '../../use-cases/programme-status.ts';
import { type OutboxMessage, readOutbox } from '../outbox.ts';

/** Who a message is for: a pairing's hospitals, a city commission, or commission staff. */
export type EmailLevel = 'pairing' | 'commission' | 'staff';

/** Mail for commission staff, by its X-Bangfu-Stage header (email-renderer.ts). */
const STAFF_STAGES = new Set(['document', 'digest', 'bounce']);

export function emailLevel(message: Pick<OutboxMessage, 'obligation' | 'stage'>): EmailLevel {
  // A city commission's deliverable is traced by its forwarding id, `<programme>~<commission>#…`.
  if (message.obligation?.includes('~')) return 'commission';
  return STAFF_STAGES.has(message.stage ?? '') ? 'staff' : 'pairing';
}

/** Where an obligation ends up in the summary's columns. */
export type SubmissionColumn = 'onTime' | 'late' | 'missing' | 'exempt' | 'pending';

/**
 * On time: submitted (or accepted) before the deadline in force; late: after it; missing: overdue,
 * or returned and not yet submitted again; pending: not yet due.
 */
export function submissionColumn(row: {
  state: ObligationState;
  submittedAt?: string;
  effectiveDueDate: PlainDate;
}): SubmissionColumn {
  switch (row.state) {
    case 'exempt':
      return 'exempt';
    case 'late':
      return 'late';
    case 'submitted':
      return 'onTime';
    case 'accepted':
      return row.submittedAt && new Date(row.submittedAt) >= deadlineOf(row.effectiveDueDate)
        ? 'late'
        : 'onTime';
    case 'overdue':
    case 'returned':
      return 'missing';
    default:
      return 'pending';
  }
}

type Columns = Record<SubmissionColumn, number>;
const noColumns = (): Columns => ({ onTime: 0, late: 0, missing: 0, exempt: 0, pending: 0 });

export interface DemoSummary {
  seed: number;
  from: PlainDate;
  to: PlainDate;
  /** The simulated now the replay ended at, which the home's clock is left at. */
  at: string;
  days: number;
  emails: { level: EmailLevel; stage: string; count: number }[];
  emailTotal: number;
  submissions: ({ programmeId: string; kind: string; total: number } & Columns)[];
  /** Obligations a reviewer returned, and of those the ones submitted again since. */
  returns: { returned: number; resubmitted: number; notices: number };
  /** Uploads the inspector rejected, and the obligations that were then submitted with a good file. */
  badFiles: { rejected: number; thenSubmitted: number };
  uploads: { uploads: number; accepted: number; rejected: number; refused: number; staffRefused: number };
  forwarding: {
    programmeId: string;
    commissionId: string;
    commission: string;
    onTime: number;
    late: number;
    notForwarded: number;
    /** Returns by the province. */
    returned: number;
    accepted: number;
  }[];
  documents: { total: number; byType: Record<DocumentType, number>; folder: string };
  /** Wall-clock seconds the replay took (not part of what a seed determines). */
  elapsedSeconds?: number;
}

export interface SummaryContext {
  home: string;
  store: DynamoStore;
  bucket: string;
}

export async function summarise(
  { home, store, bucket }: SummaryContext,
  run: Pick<DemoSummary, 'seed' | 'from' | 'to' | 'days' | 'uploads'> & { at: Date },
): Promise<DemoSummary> {
  const outbox = await readOutbox(home);
  const emails = new Map<string, { level: EmailLevel; stage: string; count: number }>();
  for (const m of outbox) {
    const level = emailLevel(m);
    const stage = m.stage ?? '(none)';
    const key = `${level}|${stage}`;
    const row = emails.get(key) ?? { level, stage, count: 0 };
    row.count++;
    emails.set(key, row);
  }
  const rejectionsOf = new Map<string, number>();
  for (const m of outbox.filter((m) => m.stage === 'rejection' && m.obligation))
    rejectionsOf.set(m.obligation as string, (rejectionsOf.get(m.obligation as string) ?? 0) + 1);

  const submissions: DemoSummary['submissions'] = [];
  const forwarding: DemoSummary['forwarding'] = [];
  let returned = 0;
  let resubmitted = 0;
  let thenSubmitted = 0;
  for (const programme of await store.listProgrammes()) {
    const status = await programmeChainStatus(store as ChainStatusStore, programme.id, run.at);
    const byKind = new Map<string, DemoSummary['submissions'][number]>();
    for (const row of status.obligations) {
      const entry = byKind.get(row.kind) ?? {
        programmeId: programme.id,
        kind: row.kind,
        total: 0,
        ...noColumns(),
      };
      entry.total++;
      entry[submissionColumn(row)]++;
      byKind.set(row.kind, entry);
      if (rejectionsOf.has(row.obligationId) && ['submitted', 'late', 'accepted'].includes(row.state))
        thenSubmitted++;
    }
    submissions.push(...[...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind)));
    for (const stored of await store.listObligations(programme.id)) {
      const lastReturn = stored.audit?.findLast((a) => a.action === 'return');
      if (!lastReturn) continue;
      returned++;
      if (stored.record.submittedAt && stored.record.submittedAt > lastReturn.at) resubmitted++;
    }
    const returnsOf = new Map(
      (await store.listForwardings(programme.id)).map((f) => [
        f.forwarding.id,
        f.audit?.filter((a) => a.action === 'return').length ?? 0,
      ]),
    );
    const byCity = new Map<string, DemoSummary['forwarding'][number]>();
    for (const f of status.forwardings) {
      const entry = byCity.get(f.commissionId) ?? {
        programmeId: programme.id,
        commissionId: f.commissionId,
        commission: f.commission,
        onTime: 0,
        late: 0,
        notForwarded: 0,
        returned: 0,
        accepted: 0,
      };
      const column = submissionColumn({
        state: f.state,
        ...(f.forwardedAt ? { submittedAt: f.forwardedAt } : {}),
        effectiveDueDate: f.effectiveDueDate,
      });
      if (column === 'onTime') entry.onTime++;
      else if (column === 'late') entry.late++;
      else if (column === 'missing') entry.notForwarded++;
      if (f.state === 'accepted') entry.accepted++;
      entry.returned += returnsOf.get(f.forwardingId) ?? 0;
      byCity.set(f.commissionId, entry);
    }
    forwarding.push(...[...byCity.values()].sort((a, b) => a.commissionId.localeCompare(b.commissionId)));
  }

  const documents = await (store as DocumentStore).listDocuments();
  const byType = Object.fromEntries(DOCUMENT_TYPES.map((t) => [t, 0])) as Record<DocumentType, number>;
  for (const d of documents) byType[d.type]++;
  return {
    seed: run.seed,
    from: run.from,
    to: run.to,
    at: run.at.toISOString(),
    days: run.days,
    emails: [...emails.values()].sort(
      (a, b) => a.level.localeCompare(b.level) || a.stage.localeCompare(b.stage),
    ),
    emailTotal: outbox.length,
    submissions,
    returns: {
      returned,
      resubmitted,
      notices: outbox.filter((m) => m.stage === 'returned').length,
    },
    badFiles: { rejected: [...rejectionsOf.values()].reduce((a, b) => a + b, 0), thenSubmitted },
    uploads: run.uploads,
    forwarding,
    documents: { total: documents.length, byType, folder: join(home, 's3', bucket, 'documents') },
  };
}
