/**
 * The console's tests on the store's in-memory twin, loaded with both plans and the demo roster as
 * `bangfu seed` loads them, and the writes that put facts on record: uploads, reminders, rejected
 * addresses, and staff actions with their audit entries (through the domain's own rules).
 */
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import type { Institution, ObligationRecord } from '../../functions/domain/model.ts';
import type { ReminderRecord } from '../../functions/domain/records.ts';
import type { StaffIdentity } from '../../functions/domain/staff.ts';
import {
  type ActionRequest,
  applyAction,
  obligationAuditEntry,
} from '../../functions/domain/staff-actions.ts';
import type { Submission } from '../../functions/domain/submission.ts';
import { obligationId } from '../../functions/domain/timeline.ts';
import { seededMemoryStore } from './seeded-store.ts';

export interface ConsoleFixture {
  store: MemoryStore;
  institutions: Institution[];
  pairingIdOf(programmeId: string, recipient: string): string;
  /** Facts as ingest records them (a submission's time) or a test needs them. */
  facts(pairingId: string, kind: string, year: number, facts: Partial<ObligationRecord>): Promise<void>;
  /** A staff action, with its audit entry, as actOnObligation writes it. */
  act(
    actor: StaffIdentity,
    pairingId: string,
    kind: string,
    year: number,
    request: ActionRequest,
    at: Date,
  ): Promise<void>;
  submit(
    pairingId: string,
    kind: string,
    year: number,
    receivedAt: Date,
    extra?: Partial<Submission>,
  ): Promise<Submission>;
  remind(record: Omit<ReminderRecord, 'status' | 'runId'> & { sentAt: string }): Promise<void>;
  /** Renames an institution in the store, as a changed seed file would. */
  rename(name: string, to: string): Promise<void>;
}

export async function consoleFixture(): Promise<ConsoleFixture> {
  const store = await seededMemoryStore();
  let institutions = await store.listInstitutions();
  const pairings = (await store.listProgrammes()).map((p) => store.listPairings(p.id));
  const allPairings = (await Promise.all(pairings)).flat();
  return {
    store,
    get institutions() {
      return institutions;
    },
    pairingIdOf(programmeId, recipient) {
      const institution = institutions.find((i) => i.name === recipient || i.aliases.includes(recipient));
      const pairing = allPairings.find(
        (p) => p.programmeId === programmeId && p.recipientId === institution?.id,
      );
      if (!pairing) throw new RangeError(`no pairing of ${recipient} in ${programmeId}`);
      return pairing.id;
    },
    async facts(pairingId, kind, year, facts) {
      await store.recordObligationFacts(pairingId, kind, year, facts);
    },
    async act(actor, pairingId, kind, year, request, at) {
      const current = await store.getObligation(pairingId, kind, year);
      if (!current) throw new RangeError(`no obligation ${obligationId(pairingId, kind, year)}`);
      const next = applyAction(current.obligation, current.record, request, at);
      const entry = obligationAuditEntry(
        actor,
        current.obligation,
        request,
        current.record,
        next,
        current.version + 1,
        at,
      );
      await store.replaceObligationRecord(current, next, entry);
    },
    async submit(pairingId, kind, year, receivedAt, extra = {}) {
      const pairing = allPairings.find((p) => p.id === pairingId);
      const n = (await store.submissionsOfObligation(pairingId, kind, year)).length + 1;
      return store.appendSubmission({
        id: `slot-${kind}-${year}-${n}`,
        programmeId: pairing?.programmeId ?? 'unknown',
        pairingId,
        obligationId: obligationId(pairingId, kind, year),
        kind,
        year,
        institutionId: pairing?.leadSupporterId ?? 'unknown',
        receivedAt: receivedAt.toISOString(),
        bucket: 'uploads',
        key: `uploads/${pairingId}/${kind}/${year}/${n}.pdf`,
        sha256: 'ab'.repeat(32),
        size: 123_456,
        contentType: 'application/pdf',
        filename: `协议书扫描件-v${n}.pdf`,
        ...extra,
      });
    },
    async remind(record) {
      const claim: ReminderRecord = { ...record, status: 'dispatched', runId: 'run-test' };
      await store.claimReminders([claim], record.claimedAt);
      await store.completeReminders([claim], { status: 'sent', sentAt: record.sentAt });
    },
    async rename(name, to) {
      institutions = institutions.map((i) => (i.name === name ? { ...i, name: to } : i));
      await store.syncInstitutions(institutions);
    },
  };
}

export function staffOf(commissionId: string, role: StaffIdentity['role'] = 'reviewer'): StaffIdentity {
  const names = { admin: '测试管理员', reviewer: '测试审核员', viewer: '测试查看员' };
  return {
    subject: `sub-${commissionId}-${role}`,
    email: `${commissionId}.${role}@staff.example.org`,
    name: names[role],
    commissionId,
    role,
  };
}

export const PROVINCIAL = staffOf('fj-provincial-commission', 'admin');
export const QUANZHOU = staffOf('fj-quanzhou-health-commission');
export const XIAMEN = staffOf('fj-xiamen-health-commission');

/** Beijing wall-clock time → instant. */
export const bj = (local: string) => new Date(`${local}+08:00`);
