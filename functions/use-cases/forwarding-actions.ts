/**
 * The second step of the reporting chain: a city commission forwards to the province what its
 * pairings delivered, and the province accepts or returns it. Fujian §三(一): the city commissions
 * collect their tertiary hospitals' signed agreement scans and send them to the province by 28
 * February; §三(二): every year they evaluate their hospitals and report to the province by 10
 * December. The console, the command line and the tests call these functions; only the actor differs.
 *
 * `forward`
 * 1. Load the programme and the forwarding of the actor's own commission (the city forwards: the
 *    provincial commission cannot forward for it) for the kind and year.
 * 2. The actor must be a reviewer or admin (StaffForbiddenError otherwise). A forwarding already
 *    made is refused unless the province returned it (then this is a re-forward).
 * 3. Split the pairings into those whose deliverable is accepted or exempt and those outstanding.
 * 4. The document: the city's own PDF (checked like an upload: a PDF that opens), or the status
 *    document generated for the city's pairings only (the agreement status, or the year's annual
 *    summary), stored once under `forwardings/<programme>/<commission>/<kind>/<year>/<sha256>.pdf`.
 * 5. Record submittedAt, who forwarded, the split and the document, with the audit entry, in one
 *    write conditional on the version read: of two forwarding at once one wins, the other is refused.
 *
 * `acceptForwarding` / `returnForwarding`: provincial reviewers and admins only; a return needs a
 * reason and reopens the forwarding (the city forwards again). After the return is recorded, the
 * city commission's contacts are emailed the reason, the due date in force and the link to its
 * forwarding page, exactly once per return (`sendReturnNotice`): the notice's stage is the instant
 * of the return, so a retry sends nothing twice and a later return sends a notice of its own. A mail
 * that fails does not undo the return: it is reported in the result.
 */
import { createHash } from 'node:crypto';
import chain from '../../templates/chain.zh.json' with { type: 'json' };
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import actionWords from '../../templates/staff-actions.zh.json' with { type: 'json' };
import { ConcurrentChangeError, userFacingError } from '../domain/errors.ts';
import {
  AGREEMENT_KIND,
  FORWARDING_KINDS,
  type Forwarding,
  type ForwardingKind,
  type ForwardingRecord,
  type ForwardingRule,
  isForwardingKind,
  isObligationKind,
  type Programme,
} from '../domain/model.ts';
import { institutionDirectory } from '../domain/pairings.ts';
import { beijingDate, beijingDateTime, weekdayZh } from '../domain/plain-date.ts';
import type { StoredForwarding } from '../domain/records.ts';
import { collectionId, forwardingRuleFor } from '../domain/reporting-chain.ts';
import { agreementStatusView } from '../domain/reports/agreement-status.ts';
import { annualSummaryView } from '../domain/reports/annual-summary.ts';
import type { ReportSnapshot } from '../domain/reports/snapshot.ts';
import { mayDo, StaffForbiddenError, type StaffIdentity } from '../domain/staff.ts';
import { ActionRefusedError, type AuditEntry, auditActor } from '../domain/staff-actions.ts';
import { awaitsSubmission, obligationState } from '../domain/timeline.ts';
import type { InspectionResult } from '../domain/upload.ts';
import { dateZh, fill } from '../domain/wording.ts';
import type {
  FileStore,
  ForwardingActionStore,
  LeaseClock,
  Mailer,
  ReportRenderers,
  StaffMailRenderer,
} from './ports.ts';
import { UnknownProgrammeError } from './programme-status.ts';
import { envelopeOf, reachableAddressees, recordsOf, sendOnce } from './send-once.ts';

const refusals = chain.refused;

/** What the notice of a return goes out through (send-once.ts). */
export interface ForwardingNoticePorts {
  mailer: Mailer;
  staffMail: Pick<StaffMailRenderer, 'forwardingReturned'>;
  sender: string;
  /** Identifies this run in its claims. */
  runId: string;
  claimLeaseMs: number;
  leaseClock?: LeaseClock;
  /** The commission's forwarding page in the console, where it forwards again. */
  consoleLink?: (forwarding: Forwarding) => string;
}

export interface ForwardingActionPorts extends ForwardingNoticePorts {
  store: ForwardingActionStore;
  files: Pick<FileStore, 'write'>;
  /** The same check an upload goes through (adapters/file-inspector.ts). */
  inspect(bytes: Uint8Array, expect: { declaredType: string; maxBytes: number }): Promise<InspectionResult>;
  renderers: ReportRenderers;
  clock: () => Date;
  /** The submissions bucket, and the size limit an upload has. */
  settings: { bucket: string; maxBytes: number };
}

/** Which forwarding: a programme, a kind (the forwarding's, or the pairing deliverable it forwards) and a year. */
export interface ForwardingRef {
  programmeId: string;
  kind: string;
  year: number;
}

/** What the city hands over with its forwarding. */
export type ForwardingDocumentInput =
  | { source: 'uploaded'; bytes: Uint8Array; filename: string }
  | { source: 'generated' };

export interface ForwardingActionResult {
  forwarding: StoredForwarding;
  audit: AuditEntry;
  /** The name of the city commission whose forwarding it is. */
  commission: string;
  /** For a return: the notice to the city commission (ReturnNotice). */
  notice?: ReturnNotice;
}

/**
 * The notice of a return: the messages sent, the errors that kept it from going out (the return is
 * recorded all the same), addresses a dead run left unconfirmed, and why nobody could be reached.
 */
export interface ReturnNotice {
  sent: { to: string[]; cc: string[] }[];
  alreadySent: number;
  failed: string[];
  unconfirmed: string[];
  suppressed: { email: string; reason: string }[];
  withoutContacts: string[];
}

/** Why a return's notice reached nobody (or may not have): ReturnNotice's lists, in that order. */
export const RETURN_NOTICE_PROBLEMS = ['failed', 'unconfirmed', 'suppressed', 'withoutContacts'] as const;
export type ReturnNoticeProblem = (typeof RETURN_NOTICE_PROBLEMS)[number];

/** What staff are told of a return's notice: how many addresses it reached, or why it did not go out. */
export type ReturnNoticeOutcome = { mailed: number } | { unsent: ReturnNoticeProblem };

/**
 * A failure or an unconfirmed address counts even when another contact was reached: the province is
 * then asked to tell the city itself, rather than trust a notice that may have reached no one who reads it.
 */
export function returnNoticeOutcome(notice: ReturnNotice): ReturnNoticeOutcome {
  if (notice.failed.length > 0) return { unsent: 'failed' };
  if (notice.unconfirmed.length > 0) return { unsent: 'unconfirmed' };
  const mailed = notice.sent.reduce((n, m) => n + m.to.length + m.cc.length, notice.alreadySent);
  if (mailed > 0) return { mailed };
  return { unsent: notice.suppressed.length > 0 ? 'suppressed' : 'withoutContacts' };
}

/** The line the console and the command line show after a return: "已通知…" or "通知邮件未能发送…". */
export function returnNoticeLine(commission: string, outcome: ReturnNoticeOutcome): string {
  const words = chain.returnNotice;
  return 'mailed' in outcome
    ? fill(words.mailed, { commission, n: outcome.mailed })
    : fill(words.unsent, { reason: words.reasons[outcome.unsent] });
}

/** Refused: a forwarding this commission does not make, a document that is not a PDF, a repeat … */
export class ForwardingRefusedError extends userFacingError('forwarding-refused') {
  override readonly name = 'ForwardingRefusedError';
}

/** Asked for a forwarding that does not exist (no such kind, year or collecting commission): 404. */
export class UnknownForwardingError extends userFacingError('unknown-forwarding') {
  override readonly name = 'UnknownForwardingError';
}

export async function forward(
  ports: ForwardingActionPorts,
  actor: StaffIdentity,
  ref: ForwardingRef,
  document: ForwardingDocumentInput,
): Promise<ForwardingActionResult> {
  const { programme, rule, commissionName } = await forwardingContext(ports.store, ref, actor.commissionId);
  if (actor.commissionId === programme.provincialCommissionId) {
    throw new StaffForbiddenError('jurisdiction', refusals.provinceDoesNotForward);
  }
  const current = await ports.store.getForwarding(programme.id, actor.commissionId, rule.kind, ref.year);
  const what = { commission: commissionName, title: rule.title, year: ref.year };
  if (!current) throw new StaffForbiddenError('jurisdiction', fill(refusals.notACollector, what));
  if (!mayDo(actor, 'review')) throw new StaffForbiddenError('role', actionWords.forbidden.role);
  const { record } = current;
  if (record.exemptedAt) throw new ForwardingRefusedError(refusals.exempt);
  if (record.submittedAt && !awaitsSubmission(record)) {
    throw new ForwardingRefusedError(
      fill(refusals.alreadyForwarded, { ...what, time: beijingDateTime(new Date(record.submittedAt)) }),
    );
  }

  const at = ports.clock();
  const { forwarding } = current;
  const obligations = (await ports.store.listObligations(programme.id)).filter(
    (o) =>
      o.obligation.kind === forwarding.forwards &&
      o.obligation.year === forwarding.year &&
      forwarding.pairingIds.includes(o.obligation.pairingId),
  );
  const done = new Set(
    obligations
      .filter((o) => ['accepted', 'exempt'].includes(obligationState(o.obligation, o.record, at)))
      .map((o) => o.obligation.pairingId),
  );
  const accepted = forwarding.pairingIds.filter((id) => done.has(id));
  const outstanding = forwarding.pairingIds.filter((id) => !done.has(id));
  const stored = await storeDocument(ports, current, programme, rule, commissionName, document, at);

  const next: ForwardingRecord = {
    ...record,
    submittedAt: at.toISOString(),
    forwarded: { by: actor.subject, accepted, outstanding, document: stored },
  };
  const audit = forwardingAuditEntry(actor, current, 'forward', record, next, at);
  return {
    forwarding: await writeOrRefuse(ports.store, current, next, audit),
    audit,
    commission: commissionName,
  };
}

export interface ForwardingReview extends ForwardingRef {
  /** The city commission whose forwarding is reviewed. */
  commissionId: string;
  reason?: string;
}

/** The province accepts a city's forwarding (an optional note as the reason). */
export function acceptForwarding(
  ports: Pick<ForwardingActionPorts, 'store' | 'clock'>,
  actor: StaffIdentity,
  review: ForwardingReview,
): Promise<ForwardingActionResult> {
  return reviewForwarding(ports, actor, review, 'accepted');
}

/**
 * The province returns a city's forwarding with a reason: the city forwards it again. The return is
 * recorded first; then the city commission is told (sendReturnNotice).
 */
export async function returnForwarding(
  ports: Pick<ForwardingActionPorts, 'store' | 'clock'> & ForwardingNoticePorts,
  actor: StaffIdentity,
  review: ForwardingReview & { reason: string },
): Promise<ForwardingActionResult> {
  const result = await reviewForwarding(ports, actor, review, 'returned');
  return { ...result, notice: await sendReturnNotice(ports, result.forwarding) };
}

/**
 * Emails the city commission's contacts that the province returned its forwarding, once per return:
 * the reminder log's stage is `returned-<instant of the return>`, a business identity, so calling
 * this again for the same return sends nothing new. Never throws: what failed is in the result.
 */
export async function sendReturnNotice(
  ports: Pick<ForwardingActionPorts, 'store' | 'clock'> & ForwardingNoticePorts,
  returned: StoredForwarding,
): Promise<ReturnNotice> {
  const notice: ReturnNotice = {
    sent: [],
    alreadySent: 0,
    failed: [],
    unconfirmed: [],
    suppressed: [],
    withoutContacts: [],
  };
  const { forwarding, record } = returned;
  const review = record.review;
  if (review?.outcome !== 'returned') return notice;
  try {
    const [programmes, institutions] = await Promise.all([
      ports.store.listProgrammes(),
      ports.store.listInstitutions(),
    ]);
    const programme = programmes.find((p) => p.id === forwarding.programmeId);
    const rule = programme && forwardingRuleOf(programme, forwarding.kind);
    const directory = institutionDirectory(institutions);
    const commission = directory.byId.get(forwarding.commissionId);
    if (!programme || !rule || !commission) {
      notice.failed.push(`return notice for ${forwarding.id}: its programme, rule or commission is gone`);
      return notice;
    }
    const { reachable, suppressed, withoutContacts } = await reachableAddressees(ports.store, {
      to: [commission],
      cc: [],
    });
    notice.suppressed.push(...suppressed);
    notice.withoutContacts.push(...withoutContacts.map((i) => i.name));
    const now = ports.clock();
    const records = recordsOf(
      {
        programmeId: programme.id,
        pairingId: collectionId(programme.id, forwarding.commissionId),
        level: 'commission',
        obligationId: forwarding.id,
        kind: forwarding.kind,
        year: forwarding.year,
        stage: `returned-${review.at}`,
        day: beijingDate(now),
        runId: ports.runId,
      },
      reachable,
      now,
    );
    const nameOf = (id: string) => directory.byId.get(id)?.name ?? id;
    const outcome = await sendOnce(
      {
        store: ports.store,
        mailer: ports.mailer,
        clock: ports.clock,
        claimLeaseMs: ports.claimLeaseMs,
        ...(ports.leaseClock ? { leaseClock: ports.leaseClock } : {}),
      },
      records,
      (claimed) =>
        ports.staffMail.forwardingReturned(
          {
            programme: { id: programme.id, name: programme.name },
            commission: commission.name,
            province: nameOf(programme.provincialCommissionId),
            forwarding: {
              id: forwarding.id,
              title: rule.title,
              year: forwarding.year,
              dueDateZh: dateZh(forwarding.effectiveDueDate),
              dueWeekdayZh: weekdayZh(forwarding.effectiveDueDate),
            },
            forwardedAt: record.submittedAt ? beijingDateTime(new Date(record.submittedAt)) : '',
            returnedAt: beijingDateTime(new Date(review.at)),
            reason: review.reason ?? '',
            ...(ports.consoleLink ? { consoleUrl: ports.consoleLink(forwarding) } : {}),
          },
          envelopeOf(ports.sender, claimed),
          forwarding.id,
        ),
    );
    notice.sent.push(...outcome.sent.map(({ to, cc }) => ({ to, cc })));
    notice.alreadySent += outcome.alreadySent;
    notice.failed.push(...outcome.failed, ...outcome.rejected.map((r) => `${r.email}: ${r.reason}`));
    notice.unconfirmed.push(...outcome.unconfirmed);
  } catch (error) {
    notice.failed.push((error as Error).message);
  }
  return notice;
}

async function reviewForwarding(
  ports: Pick<ForwardingActionPorts, 'store' | 'clock'>,
  actor: StaffIdentity,
  review: ForwardingReview,
  outcome: 'accepted' | 'returned',
): Promise<ForwardingActionResult> {
  const { programme, rule, commissionName } = await forwardingContext(
    ports.store,
    review,
    review.commissionId,
  );
  if (actor.commissionId !== programme.provincialCommissionId) {
    throw new StaffForbiddenError('jurisdiction', refusals.provinceOnly);
  }
  if (!mayDo(actor, 'review')) throw new StaffForbiddenError('role', actionWords.forbidden.role);
  const what = { commission: commissionName, title: rule.title, year: review.year, kind: review.kind };
  const current = await ports.store.getForwarding(programme.id, review.commissionId, rule.kind, review.year);
  if (!current) throw new UnknownForwardingError(fill(refusals.unknownForwarding, what));
  const reason = review.reason?.trim() ?? '';
  if (outcome === 'returned' && reason === '') throw new ForwardingRefusedError(refusals.reasonRequired);
  if (reason.length > 500) throw new ForwardingRefusedError(refusals.reasonTooLong);
  const { record } = current;
  if (record.exemptedAt) throw new ForwardingRefusedError(refusals.exempt);
  if (!record.submittedAt || awaitsSubmission(record)) {
    throw new ForwardingRefusedError(fill(refusals.nothingToReview, what));
  }
  const at = ports.clock();
  const next: ForwardingRecord = {
    ...record,
    review: { outcome, at: at.toISOString(), ...(reason ? { reason } : {}) },
  };
  const action = outcome === 'accepted' ? 'accept' : 'return';
  const audit = forwardingAuditEntry(actor, current, action, record, next, at, reason);
  return {
    forwarding: await writeOrRefuse(ports.store, current, next, audit),
    audit,
    commission: commissionName,
  };
}

/** The forwarding rule named by `ref.kind`: the forwarding's own kind, or the deliverable it forwards. */
export function forwardingRuleOf(programme: Programme, kind: string): ForwardingRule | undefined {
  if (isForwardingKind(kind)) return programme.reportingChain.forwardings.find((f) => f.kind === kind);
  return isObligationKind(kind) ? forwardingRuleFor(programme, kind) : undefined;
}

async function forwardingContext(store: ForwardingActionStore, ref: ForwardingRef, commissionId: string) {
  const [programmes, institutions] = await Promise.all([store.listProgrammes(), store.listInstitutions()]);
  const programme = programmes.find((p) => p.id === ref.programmeId);
  if (!programme) {
    throw new UnknownProgrammeError(
      ref.programmeId,
      programmes.map((p) => p.id),
    );
  }
  const rule = forwardingRuleOf(programme, ref.kind);
  if (!rule) {
    const kinds: readonly ForwardingKind[] = programme.reportingChain.forwardings.map((f) => f.kind);
    throw new UnknownForwardingError(
      fill(refusals.unknownKind, {
        kind: ref.kind,
        kinds: (kinds.length > 0 ? kinds : FORWARDING_KINDS).join(labels.listSeparator),
      }),
    );
  }
  const commissionName = institutionDirectory(institutions).byId.get(commissionId)?.name ?? commissionId;
  return { programme, rule, commissionName };
}

/** The checked upload, or the generated status document, stored once under its content's hash. */
async function storeDocument(
  ports: ForwardingActionPorts,
  current: StoredForwarding,
  programme: Programme,
  rule: ForwardingRule,
  commissionName: string,
  input: ForwardingDocumentInput,
  at: Date,
): Promise<NonNullable<NonNullable<ForwardingRecord['forwarded']>['document']>> {
  const { forwarding } = current;
  let bytes: Uint8Array;
  let sha256: string;
  let filename: string;
  if (input.source === 'uploaded') {
    const inspection = await ports.inspect(input.bytes, {
      declaredType: 'application/pdf',
      maxBytes: ports.settings.maxBytes,
    });
    if (!inspection.ok) {
      throw new ForwardingRefusedError(fill(refusals.notPdf, { problem: inspection.problem.message }));
    }
    bytes = input.bytes;
    sha256 = inspection.sha256;
    filename = input.filename || `${forwarding.commissionId}-${forwarding.kind}-${forwarding.year}.pdf`;
  } else {
    bytes = await generatedDocument(ports, programme, forwarding.pairingIds, rule, forwarding.year, at);
    sha256 = sha256Of(bytes);
    filename = `${fill(chain.documentName, { commission: commissionName, title: rule.title, year: forwarding.year })}.pdf`;
  }
  const key = `forwardings/${programme.id}/${forwarding.commissionId}/${forwarding.kind}/${forwarding.year}/${sha256}.pdf`;
  await ports.files.write(ports.settings.bucket, key, bytes, 'application/pdf');
  return {
    bucket: ports.settings.bucket,
    key,
    filename,
    sha256,
    size: bytes.byteLength,
    source: input.source,
  };
}

/**
 * The status document of the city's own pairings: the agreement status for the agreements, the year's
 * annual summary for the evaluation, each built from a snapshot holding those pairings only.
 */
async function generatedDocument(
  ports: ForwardingActionPorts,
  programme: Programme,
  pairingIds: readonly string[],
  rule: ForwardingRule,
  year: number,
  at: Date,
): Promise<Uint8Array> {
  const { store } = ports;
  const ids = new Set(pairingIds);
  const [institutions, pairings, obligations, submissions] = await Promise.all([
    store.listInstitutions(),
    store.listPairings(programme.id),
    store.listObligations(programme.id),
    store.submissionsOfProgramme(
      programme.id,
      rule.forwards,
      rule.forwards === AGREEMENT_KIND ? undefined : year,
    ),
  ]);
  const snapshot: ReportSnapshot = {
    programme,
    institutions,
    pairings: pairings.filter((p) => ids.has(p.id)),
    obligations: obligations.filter((o) => ids.has(o.obligation.pairingId)),
    submissions: submissions.filter((s) => ids.has(s.pairingId)),
    reminders: [],
    at,
    generatedAt: at,
  };
  const pdf =
    rule.forwards === AGREEMENT_KIND
      ? await ports.renderers.agreements(agreementStatusView(snapshot))
      : await ports.renderers.annual(annualSummaryView(snapshot, year));
  return new Uint8Array(pdf);
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The record's facts an audit entry shows before and after (the document by its key and hash). */
function facts(record: ForwardingRecord): Record<string, unknown> {
  const { forwarded, ...rest } = record;
  return {
    ...rest,
    ...(forwarded
      ? {
          forwarded: {
            by: forwarded.by,
            accepted: forwarded.accepted,
            outstanding: forwarded.outstanding,
            ...(forwarded.document
              ? { document: { key: forwarded.document.key, source: forwarded.document.source } }
              : {}),
          },
        }
      : {}),
  };
}

export function forwardingAuditEntry(
  actor: StaffIdentity,
  current: StoredForwarding,
  action: 'forward' | 'accept' | 'return',
  before: ForwardingRecord,
  after: ForwardingRecord,
  at: Date,
  reason?: string,
): AuditEntry {
  const { forwarding } = current;
  return {
    id: `${forwarding.id}#${current.version + 1}`,
    at: at.toISOString(),
    actor: auditActor(actor),
    action,
    programmeId: forwarding.programmeId,
    obligationId: forwarding.id,
    ...(reason ? { reason } : {}),
    before: facts(before),
    after: facts(after),
  };
}

async function writeOrRefuse(
  store: ForwardingActionStore,
  current: StoredForwarding,
  record: ForwardingRecord,
  audit: AuditEntry,
): Promise<StoredForwarding> {
  try {
    return await store.replaceForwardingRecord(current, record, audit);
  } catch (error) {
    if (error instanceof ConcurrentChangeError) throw new ActionRefusedError(refusals.changedMeanwhile);
    throw error;
  }
}
