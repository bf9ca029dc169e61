/**
 * The reminder policy: which send an obligation needs on a day, who receives it, and what it says.
 *
 * Plan rules (programme data, `remind` and `escalation` of each obligation kind):
 * - before and on the due date: the parties who must act (`to`) and those kept informed (`cc`);
 * - after the due date: the responsible city commission joins; at the last stage the provincial
 *   commission too.
 */

import labels from '../../templates/labels.zh.json' with { type: 'json' };
import type { ReminderView } from './email.ts';
import type { Institution, Obligation, ObligationKindRule, Pairing, Programme } from './model.ts';
import type { PartyResolver } from './parties.ts';
import { uniqueInstitutions } from './parties.ts';
import { addDays, daysBetween, weekdayZh } from './plain-date.ts';
import { type ReminderSend, reminderSchedule } from './reminder-schedule.ts';
import { dateZh } from './wording.ts';
import type { WorkingDayCalendar } from './working-days.ts';

/**
 * The send an obligation needs on `day`: the latest scheduled send on or before it, if no more than
 * `catchUpDays` old. Normally that is the send scheduled for `day` itself; after a missed tick it is
 * the one that was missed, so an outage leaves no gap, while an older stage superseded by a newer
 * one is never sent.
 */
export function sendDueOn(
  day: string,
  dueDate: string,
  stageOffsets: readonly number[],
  calendar: WorkingDayCalendar,
  catchUpDays: number,
): ReminderSend | undefined {
  const latest = reminderSchedule(dueDate, stageOffsets, calendar)
    .filter((send) => send.sendOn <= day)
    .at(-1);
  return latest && latest.sendOn >= addDays(day, -catchUpDays) ? latest : undefined;
}

export interface ReminderAudience {
  to: Institution[];
  cc: Institution[];
  /** Commissions in `to` because the obligation is late. */
  escalatedTo: Institution[];
}

export function reminderAudience(
  rule: ObligationKindRule,
  send: ReminderSend,
  parties: PartyResolver,
): ReminderAudience {
  const resolve = (list: readonly ObligationKindRule['remind']['to'][number][]) =>
    uniqueInstitutions(list.flatMap((party) => parties.institutions(party)));
  const acting = resolve(rule.remind.to);
  const escalation = resolve([
    ...(send.afterDue ? rule.escalation.afterDue : []),
    ...(send.lastStage ? rule.escalation.lastStage : []),
  ]);
  const to = uniqueInstitutions([...acting, ...escalation]);
  const inTo = new Set(to.map((i) => i.id));
  const actingIds = new Set(acting.map((i) => i.id));
  return {
    to,
    cc: resolve(rule.remind.cc).filter((i) => !inTo.has(i.id)),
    escalatedTo: escalation.filter((i) => !actingIds.has(i.id)),
  };
}

export function urgencyZh(daysLeft: number): string {
  if (daysLeft > 1) return labels.urgency.daysLeft.replace('{n}', String(daysLeft));
  if (daysLeft === 1) return labels.urgency.tomorrow;
  if (daysLeft === 0) return labels.urgency.today;
  return labels.urgency.overdue.replace('{n}', String(-daysLeft));
}

export interface ReminderViewInput {
  programme: Programme;
  pairing: Pairing;
  rule: ObligationKindRule;
  obligation: Obligation;
  send: ReminderSend;
  /** The Beijing date the reminder actually goes out (a caught-up send goes out later than planned). */
  day: string;
  audience: ReminderAudience;
  submitters: Institution[];
  nameOf: (institutionId: string) => string;
  uploadLinks: ReminderView['uploadLinks'];
  agreementFormUrl?: string;
}

export function reminderView(input: ReminderViewInput): ReminderView {
  const { programme, pairing, rule, obligation, send, day, audience, nameOf } = input;
  const daysLeft = daysBetween(day, obligation.effectiveDueDate);
  return {
    programme: { id: programme.id, name: programme.name, shortName: programme.shortName },
    pairing: {
      id: pairing.id,
      recipient: nameOf(pairing.recipientId),
      supporters: pairing.supporterIds.map((id) => ({
        name: nameOf(id),
        lead: id === pairing.leadSupporterId,
      })),
      taskLevels: pairing.taskLevels.map((level) => labels.taskLevels[level]),
      category: labels.categories[pairing.category],
    },
    obligation: {
      id: obligation.id,
      kind: obligation.kind,
      title: rule.title,
      deliverable: rule.deliverable,
      citation: `${programme.name} ${rule.citation}`,
      year: obligation.year,
      dueDate: obligation.effectiveDueDate,
      dueDateZh: dateZh(obligation.effectiveDueDate),
      dueWeekdayZh: weekdayZh(obligation.effectiveDueDate),
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
    submitters: input.submitters.map((i) => i.name),
    audience: { to: audience.to.map((i) => i.name), cc: audience.cc.map((i) => i.name) },
    escalatedTo: audience.escalatedTo.map((i) => i.name),
    uploadLinks: input.uploadLinks,
    ...(input.agreementFormUrl ? { agreementFormUrl: input.agreementFormUrl } : {}),
  };
}
