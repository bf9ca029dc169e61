/**
 * Reminders of a city commission's own deliverable: who receives them and what they say. Pure: `at`
 * and the institution directory are parameters.
 *
 * Fujian §三(一): the city commissions collect their hospitals' signed agreement scans and send them
 * to the province by 28 February; §三(二): they report their evaluation by 10 December. So the
 * commission that collects is reminded of its own date on the programme's stages, like a pairing of
 * its own; once that date has passed the provincial commission is copied, as the body the city
 * answers to. The email also says how far the commission's pairings have got, so it knows what it is
 * waiting for.
 */
import states from '../../templates/states.zh.json' with { type: 'json' };
import type {
  Forwarding,
  ForwardingRule,
  Institution,
  ObligationState,
  Pairing,
  Programme,
} from './model.ts';
import type { InstitutionDirectory } from './pairings.ts';
import { beijingDateTime, daysBetween, weekdayZh } from './plain-date.ts';
import type { ObligationWithRecord } from './records.ts';
import type { ReminderSend } from './reminder-schedule.ts';
import { urgencyZh } from './reminders.ts';
import { obligationState } from './timeline.ts';
import { dateZh } from './wording.ts';

export interface ForwardingAudience {
  /** The collecting city commission. */
  to: Institution[];
  /** The provincial commission, once the commission's date has passed. */
  cc: Institution[];
  /** Who joined because the deliverable is late. */
  escalatedTo: Institution[];
}

/** Fujian §三(一): the city commission owes it; the province joins in copy when the city is late. */
export function forwardingReminderAudience(
  programme: Programme,
  forwarding: Pick<Forwarding, 'id' | 'commissionId'>,
  send: Pick<ReminderSend, 'afterDue'>,
  directory: InstitutionDirectory,
): ForwardingAudience {
  const byId = (id: string) => {
    const institution = directory.byId.get(id);
    if (!institution) throw new RangeError(`forwarding ${forwarding.id} names unknown institution ${id}`);
    return institution;
  };
  const commission = byId(forwarding.commissionId);
  const province = byId(programme.provincialCommissionId);
  const late = send.afterDue && province.id !== commission.id ? [province] : [];
  return { to: [commission], cc: late, escalatedTo: late };
}

/** Where the pairing deliverables a commission forwards stand, at one instant. */
export interface ForwardingProgress {
  total: number;
  /** Reviewed and accepted: ready to forward. */
  accepted: number;
  /** Submitted (on time or late), not yet reviewed. */
  awaitingReview: number;
  /** Not submitted yet, or returned for another submission. */
  outstanding: number;
  exempt: number;
  /** The pairings behind `outstanding`, with their state. */
  outstandingPairings: { pairingId: string; state: ObligationState }[];
}

/**
 * Counts the forwarded kind's obligations of the commission's pairings for the forwarding's year, by
 * state at `at` (timeline.ts).
 */
export function forwardingProgress(
  forwarding: Pick<Forwarding, 'pairingIds' | 'forwards' | 'year'>,
  obligations: readonly ObligationWithRecord[],
  at: Date,
): ForwardingProgress {
  const pairings = new Set(forwarding.pairingIds);
  const progress: ForwardingProgress = {
    total: 0,
    accepted: 0,
    awaitingReview: 0,
    outstanding: 0,
    exempt: 0,
    outstandingPairings: [],
  };
  for (const { obligation, record } of obligations) {
    if (
      !pairings.has(obligation.pairingId) ||
      obligation.kind !== forwarding.forwards ||
      obligation.year !== forwarding.year
    )
      continue;
    const state = obligationState(obligation, record, at);
    progress.total++;
    if (state === 'accepted') progress.accepted++;
    else if (state === 'submitted' || state === 'late') progress.awaitingReview++;
    else if (state === 'exempt') progress.exempt++;
    else {
      progress.outstanding++;
      progress.outstandingPairings.push({ pairingId: obligation.pairingId, state });
    }
  }
  progress.outstandingPairings.sort((a, b) => a.pairingId.localeCompare(b.pairingId));
  return progress;
}

/** Everything a forwarding reminder template may show. All strings are raw: templates escape them. */
export interface ForwardingReminderView {
  programme: { id: string; name: string; shortName: string };
  /** The city commission that owes the deliverable. */
  commission: string;
  /** The provincial commission it goes to. */
  province: string;
  forwarding: {
    id: string;
    kind: string;
    /** e.g. 辖区对口帮扶协议书汇总报送 */
    title: string;
    deliverable: string;
    /** The pairing deliverable collected, e.g. 对口帮扶协议书. */
    forwardsTitle: string;
    /** The plan's section, or the product's reason where the plan sets no date. */
    citation: string;
    year: number;
    dueDate: string;
    dueDateZh: string;
    dueWeekdayZh: string;
  };
  stage: { name: string; daysLeft: number; urgencyZh: string; afterDue: boolean; lastStage: boolean };
  sendOn: string;
  sendOnZh: string;
  /** Beijing time the progress was read at, e.g. 2022-02-21 09:00. */
  asOf: string;
  progress: Omit<ForwardingProgress, 'outstandingPairings'>;
  /** The pairings still to deliver, by recipient, with their lead supporter and state in words. */
  outstanding: { recipient: string; lead: string; stateZh: string }[];
  audience: { to: string[]; cc: string[] };
  escalatedTo: string[];
  /** The console page where the commission's staff review and forward. */
  consoleUrl?: string;
}

export interface ForwardingReminderViewInput {
  programme: Programme;
  rule: ForwardingRule;
  forwarding: Forwarding;
  send: ReminderSend;
  /** The Beijing date the reminder goes out (a caught-up send goes out later than planned). */
  day: string;
  at: Date;
  audience: ForwardingAudience;
  progress: ForwardingProgress;
  pairings: ReadonlyMap<string, Pairing>;
  nameOf: (institutionId: string) => string;
  consoleUrl?: string;
}

const STATE_ZH: Record<ObligationState, string> = states.console;

export function forwardingReminderView(input: ForwardingReminderViewInput): ForwardingReminderView {
  const { programme, rule, forwarding, send, day, audience, progress, nameOf } = input;
  const daysLeft = daysBetween(day, forwarding.effectiveDueDate);
  const forwardsTitle =
    programme.obligationKinds.find((k) => k.kind === forwarding.forwards)?.title ?? forwarding.forwards;
  const { outstandingPairings, ...counts } = progress;
  return {
    programme: { id: programme.id, name: programme.name, shortName: programme.shortName },
    commission: nameOf(forwarding.commissionId),
    province: nameOf(programme.provincialCommissionId),
    forwarding: {
      id: forwarding.id,
      kind: forwarding.kind,
      title: rule.title,
      deliverable: rule.deliverable,
      forwardsTitle,
      citation:
        rule.dueBasis.source === 'plan' ? `${programme.name} ${rule.dueBasis.section}` : rule.dueBasis.reason,
      year: forwarding.year,
      dueDate: forwarding.effectiveDueDate,
      dueDateZh: dateZh(forwarding.effectiveDueDate),
      dueWeekdayZh: weekdayZh(forwarding.effectiveDueDate),
    },
    stage: {
      name: send.stage,
      daysLeft,
      urgencyZh: urgencyZh(daysLeft),
      afterDue: daysLeft < 0,
      lastStage: send.lastStage,
    },
    sendOn: day,
    sendOnZh: dateZh(day),
    asOf: beijingDateTime(input.at),
    progress: counts,
    outstanding: outstandingPairings.map(({ pairingId, state }) => {
      const pairing = input.pairings.get(pairingId);
      return {
        recipient: pairing ? nameOf(pairing.recipientId) : pairingId,
        lead: pairing ? nameOf(pairing.leadSupporterId) : '',
        stateZh: STATE_ZH[state],
      };
    }),
    audience: { to: audience.to.map((i) => i.name), cc: audience.cc.map((i) => i.name) },
    escalatedTo: audience.escalatedTo.map((i) => i.name),
    ...(input.consoleUrl ? { consoleUrl: input.consoleUrl } : {}),
  };
}
