/**
 * SES bounces and complaints (configuration-set events): the address is marked so no reminder goes
 * there again, and the provincial commission of every programme the institution takes part in is told,
 * so the roster gets fixed and the institution is reached another way.
 *
 * 1. Only permanent bounces and complaints count; a transient bounce is SES retrying on its own, so
 *    the edge that parses SES's event hands in only those (`DeliveryProblem`).
 * 2. Mark each address (the same record a rejected send writes), all before any notice goes out.
 * 3. For each roster entry with that address, email the commissions once per (address, SES message):
 *    their contacts other than the addresses of this event and any address marked earlier. When that
 *    leaves nobody (the commission's own addresses are the ones failing), nothing is sent and the
 *    result says so.
 */

import labels from '../../templates/labels.zh.json' with { type: 'json' };
import type { BounceNoticeView } from '../domain/email.ts';
import type { Institution, Programme } from '../domain/model.ts';
import { beijingDate, beijingDateTime } from '../domain/plain-date.ts';
import { fill } from '../domain/wording.ts';
import type { DeliveryProblemStore, LeaseClock, Mailer, StaffMailRenderer } from './ports.ts';
import { envelopeOf, reachableAddressees, recordsOf, sendOnce } from './send-once.ts';

/** A permanent bounce or a complaint, parsed at the edge from SES's event. */
export interface DeliveryProblem {
  kind: 'bounce' | 'complaint';
  addresses: { email: string; detail?: string }[];
  /** The SES message that bounced: with the address, the exactly-once key of the notice. */
  messageId: string;
  /** ISO 8601: when SES reported the problem (or sent the mail, or EventBridge received the event). */
  at: string;
}

export interface DeliveryProblemPorts {
  store: DeliveryProblemStore;
  mailer: Mailer;
  staffMail: StaffMailRenderer;
  sender: string;
  clock: () => Date;
  runId: string;
  claimLeaseMs: number;
  /** What claims and their leases are timed by (send-once.ts); the wall clock by default. */
  leaseClock?: LeaseClock;
}

const PROBLEM_ZH: Record<DeliveryProblem['kind'], string> = labels.deliveryProblems;

export interface DeliveryProblemResult {
  /** The addresses marked: nothing is sent to them again. */
  marked: string[];
  /** Notices sent to commissions. */
  notices: number;
  failed: string[];
  /**
   * Notices handed to SES by a run that died before recording the outcome: not repeated, to be
   * checked. `about` is the address the notice concerns, `email` the commission's address it went to.
   */
  unconfirmed: { programmeId: string; about: string; email: string }[];
  /**
   * Notices nobody could be sent: every contact of commission `commission` has bounced, complained or
   * been refused. Someone has to reach the commission another way and fix its roster.
   */
  noRecipients: { programmeId: string; commission: string; about: string }[];
}

export async function recordDeliveryProblem(
  ports: DeliveryProblemPorts,
  problem: DeliveryProblem,
): Promise<DeliveryProblemResult> {
  const result: DeliveryProblemResult = {
    marked: [],
    notices: 0,
    failed: [],
    unconfirmed: [],
    noRecipients: [],
  };
  const [contacts, programmes, institutions] = await Promise.all([
    ports.store.listContacts(),
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  const byId = new Map(institutions.map((i) => [i.id, i]));
  const commissionsOf = await commissionsByInstitution(ports.store, programmes, byId);
  for (const { email, detail } of problem.addresses) {
    await ports.store.markAddressRejected({
      email,
      rejectedAt: problem.at,
      reason: detail
        ? fill(labels.deliveryProblems.withDetail, { problem: PROBLEM_ZH[problem.kind], detail })
        : PROBLEM_ZH[problem.kind],
      source: problem.kind,
    });
    result.marked.push(email);
  }
  // Marked first: a notice about an address that failed must not go to it, nor to another one that
  // failed with it.
  for (const { email, detail } of problem.addresses) {
    for (const contact of contacts.filter((c) => c.email.toLowerCase() === email)) {
      const institution = byId.get(contact.institutionId);
      for (const { programme, commission } of commissionsOf.get(contact.institutionId) ?? []) {
        const view: BounceNoticeView = {
          commission: commission.name,
          institution: institution?.name ?? contact.institutionId,
          name: contact.name,
          role: contact.role,
          email,
          problemZh: PROBLEM_ZH[problem.kind],
          ...(detail ? { detail } : {}),
          at: beijingDateTime(new Date(problem.at)),
        };
        // Every address of this event is marked by now, so none of them is reachable.
        const { reachable } = await reachableAddressees(ports.store, { to: [commission], cc: [] });
        if (reachable.length === 0) {
          result.noRecipients.push({ programmeId: programme.id, commission: commission.id, about: email });
          continue;
        }
        const stage = `${problem.kind}-${problem.messageId}-${email}`;
        const records = recordsOf(
          {
            programmeId: programme.id,
            pairingId: programme.id,
            obligationId: `${programme.id}#${problem.kind}`,
            kind: problem.kind,
            year: Number(beijingDate(new Date(problem.at)).slice(0, 4)),
            stage,
            day: beijingDate(new Date(problem.at)),
            runId: ports.runId,
          },
          reachable,
          ports.clock(),
        );
        const outcome = await sendOnce(ports, records, (claimed) =>
          ports.staffMail.bounce(view, envelopeOf(ports.sender, claimed), `${programme.id}#${problem.kind}`),
        );
        result.notices += outcome.sent.length;
        result.failed.push(...outcome.failed);
        for (const unconfirmed of outcome.unconfirmed)
          result.unconfirmed.push({ programmeId: programme.id, about: email, email: unconfirmed });
      }
    }
  }
  return result;
}

/** Each institution's programmes and their provincial commissions (an institution may be in both plans). */
async function commissionsByInstitution(
  store: DeliveryProblemStore,
  programmes: readonly Programme[],
  institutions: Map<string, Institution>,
): Promise<Map<string, { programme: Programme; commission: Institution }[]>> {
  const map = new Map<string, { programme: Programme; commission: Institution }[]>();
  for (const programme of programmes) {
    const commission = institutions.get(programme.provincialCommissionId);
    if (!commission) continue;
    const pairings = await store.listPairings(programme.id);
    const members = new Set(pairings.flatMap((p) => [p.recipientId, ...p.supporterIds]));
    // County governments take part through their county's recipient.
    for (const institution of institutions.values()) {
      const county = institution.type === 'county-government';
      const inProgramme =
        members.has(institution.id) ||
        (county &&
          pairings.some((p) => {
            const recipient = institutions.get(p.recipientId);
            return (
              recipient?.place.county === institution.place.county &&
              recipient?.place.province === institution.place.province
            );
          }));
      if (inProgramme || institution.id === commission.id) {
        map.set(institution.id, [...(map.get(institution.id) ?? []), { programme, commission }]);
      }
    }
  }
  return map;
}
