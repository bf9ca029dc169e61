/**
 * `bangfu demo`: both plans replayed day by day on the embedded stack of one home.
 *
 * 1. Start the local app in this process under a simulated now (replay.ts), with the plans and the
 *    demo roster loaded; draw, from the seed, what every hospital, city commission and reviewer will
 *    do (one random stream per obligation or forwarding, so a shorter window changes nothing else).
 * 2. For each day: run the daily tick at 09:00 Beijing time; then, from 10:00, the hospitals that have
 *    a personal link (from the latest email that reached them) upload through the real path; from
 *    14:00 staff accept, return, extend and exempt; from 16:00 the city commissions forward and the
 *    province reviews. Each hospital's agreement form is rendered when the agreement opens, and each
 *    programme's annual summary on 31 December.
 * 3. Leave the simulated now at the end of the replay, so `bangfu up` on the home opens the outcome,
 *    and summarise what happened from the store and the outbox (summary.ts).
 */
import words from '../../../templates/demo.zh.json' with { type: 'json' };
import { pdfRenderers } from '../../adapters/pdf/renderers.ts';
import { forwardingActionPorts, obligationActionPorts } from '../../composition/wiring.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { AGREEMENT_KIND, ANNUAL_REPORT_KIND, type PlainDate } from '../../domain/model.ts';
import { addDays, daysBetween, startOfBeijingDay } from '../../domain/plain-date.ts';
import type { StaffIdentity } from '../../domain/staff.ts';
import type { ActionRequest } from '../../domain/staff-actions.ts';
import { prcCalendar, workingDayOnOrAfter } from '../../domain/working-days.ts';
import { generateDocument } from '../../use-cases/documents.ts';
import { acceptForwarding, forward, returnForwarding } from '../../use-cases/forwarding-actions.ts';
import { actOnObligation } from '../../use-cases/obligation-actions.ts';
import { DEMO_STAFF_DOMAIN, demoStaffAccounts } from '../demo-staff.ts';
import { readOutboxFrom } from '../outbox.ts';
import { nineOclock, startReplay } from '../replay.ts';
import { setSimulatedNow } from '../simulated-clock.ts';
import { UPLOAD_LINK, uploadAsHospital } from './hospital.ts';
import { type Random, randomFor } from './random.ts';
import { type DemoSummary, summarise } from './summary.ts';

export interface DemoOptions {
  home: string;
  /** @default 1 */
  seed?: number;
  /** @default 2022-01-01 */
  from?: PlainDate;
  /** @default 2025-12-31 */
  to?: PlainDate;
  /** Told after each replayed day. */
  onDay?: (progress: DemoProgress) => void;
}

export interface DemoProgress {
  day: PlainDate;
  /** Days replayed so far, and in all. */
  done: number;
  days: number;
  messages: number;
  uploads: number;
}

/** What a hospital does with one obligation, drawn when it opens. */
export const BEHAVIOURS = {
  'on-time': 66,
  late: 12,
  never: 6,
  'bad-file-first': 6,
  'returned-then-resubmitted': 6,
  extended: 2,
  exempted: 2,
} as const;
export type Behaviour = keyof typeof BEHAVIOURS;

/** The share of city commissions' forwardings that come after their due date. */
const LATE_FORWARDING = 0.15;
/** The share of annual reports whose figures fall short of a yearly target. */
const SHORT_OF_TARGETS = 0.25;

interface Upload {
  obligationId: string;
  on: PlainDate;
  file: 'good' | 'bad';
}

interface StaffStep {
  on: PlainDate;
  obligationId: string;
  actor: 'collector' | 'province';
  request: ActionRequest;
}

interface ForwardingStep {
  on: PlainDate;
  programmeId: string;
  commissionId: string;
  kind: string;
  year: number;
  step: 'forward' | 'accept' | 'return';
}

interface ObligationPlan {
  id: string;
  behaviour: Behaviour;
  random: Random;
  collectorId: string;
  provinceId: string;
  annualYear?: number;
  meetsTargets: boolean;
  returned: boolean;
}

const at = (day: PlainDate, hour: number, minute = 0) =>
  new Date(startOfBeijingDay(day).getTime() + (hour * 60 + minute) * 60_000);
const nextWorkingDay = (day: PlainDate, days: number) => workingDayOnOrAfter(prcCalendar, addDays(day, days));

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const seed = options.seed ?? 1;
  const from = options.from ?? '2022-01-01';
  const to = options.to ?? '2025-12-31';
  const started = Date.now();
  const replay = await startReplay({ home: options.home, at: nineOclock(from) });
  const { app } = replay;
  const { wiring, ingest } = app;
  const { store } = wiring;
  const accounts = new Map(
    (await demoStaffAccounts(options.home)).map((a) => [
      a.email,
      {
        subject: `local:${a.email}`,
        email: a.email,
        name: a.name,
        commissionId: a.commissionId,
        role: a.role,
      } satisfies StaffIdentity,
    ]),
  );
  const reviewerOf = (commissionId: string) => {
    const identity = accounts.get(`${commissionId}.reviewer@${DEMO_STAFF_DOMAIN}`);
    if (!identity) throw new RangeError(`no demo reviewer for ${commissionId}`);
    return identity;
  };

  const uploads: Upload[] = [];
  const staff: StaffStep[] = [];
  const forwardings: ForwardingStep[] = [];
  const forms: { on: PlainDate; programmeId: string; pairingId: string }[] = [];
  const plans = new Map<string, ObligationPlan>();
  const programmes = await store.listProgrammes();
  for (const programme of programmes) {
    for (const { obligation } of await store.listObligations(programme.id)) {
      const random = randomFor(seed, obligation.id);
      const behaviour = random.weighted(BEHAVIOURS);
      const due = obligation.effectiveDueDate;
      // A hospital has its link from the first reminder, thirty days ahead (the plans' reminder stages).
      const firstDay = [addDays(due, -28), obligation.opensOn].sort()[1] as PlainDate;
      const onTime = addDays(firstDay, random.int(0, Math.max(0, daysBetween(firstDay, due))));
      plans.set(obligation.id, {
        id: obligation.id,
        behaviour,
        random,
        collectorId: obligation.collectorId ?? programme.provincialCommissionId,
        provinceId: programme.provincialCommissionId,
        ...(obligation.kind === ANNUAL_REPORT_KIND ? { annualYear: obligation.year } : {}),
        meetsTargets: !random.chance(SHORT_OF_TARGETS),
        returned: false,
      });
      const id = obligation.id;
      switch (behaviour) {
        case 'on-time':
        case 'returned-then-resubmitted':
          uploads.push({ obligationId: id, on: onTime, file: 'good' });
          break;
        case 'bad-file-first':
          uploads.push({ obligationId: id, on: onTime, file: 'bad' });
          break;
        case 'late':
          uploads.push({ obligationId: id, on: addDays(due, random.int(1, 20)), file: 'good' });
          break;
        case 'extended': {
          const extendedTo = addDays(due, 14);
          staff.push({
            on: nextWorkingDay(due, -4),
            obligationId: id,
            actor: 'province',
            request: { action: 'extend', to: extendedTo, reason: words.extensionReason },
          });
          uploads.push({ obligationId: id, on: addDays(due, random.int(1, 14)), file: 'good' });
          break;
        }
        case 'exempted':
          staff.push({
            on: nextWorkingDay(firstDay, random.int(2, 10)),
            obligationId: id,
            actor: 'province',
            request: { action: 'exempt', reason: words.exemptionReason },
          });
          break;
        case 'never':
          break;
      }
      if (obligation.kind === AGREEMENT_KIND)
        forms.push({ on: obligation.opensOn, programmeId: programme.id, pairingId: obligation.pairingId });
    }
    // The city commissions: most forward on or a few days before their date, some after it; one
    // agreement forwarding and one annual evaluation are returned by the province and forwarded again.
    const stored = (await store.listForwardings(programme.id)).map((f) => f.forwarding);
    const pick = randomFor(seed, `${programme.id}#returned-forwardings`);
    const returned = new Set(
      [AGREEMENT_KIND, ANNUAL_REPORT_KIND].flatMap((kind) => {
        const candidates = stored.filter((f) => f.forwards === kind);
        return candidates.length > 0 ? [candidates[pick.int(0, candidates.length - 1)]?.id] : [];
      }),
    );
    for (const f of stored) {
      const random = randomFor(seed, f.id);
      const due = f.effectiveDueDate;
      const on = random.chance(LATE_FORWARDING)
        ? addDays(due, random.int(1, 10))
        : addDays(due, -random.int(0, 3));
      const ref = { programmeId: programme.id, commissionId: f.commissionId, kind: f.kind, year: f.year };
      forwardings.push({ ...ref, on, step: 'forward' });
      const reviewOn = nextWorkingDay(on, random.int(1, 3));
      if (returned.has(f.id)) {
        forwardings.push({ ...ref, on: reviewOn, step: 'return' });
        const again = addDays(reviewOn, random.int(2, 4));
        forwardings.push({ ...ref, on: again, step: 'forward' });
        forwardings.push({ ...ref, on: nextWorkingDay(again, random.int(1, 3)), step: 'accept' });
      } else {
        forwardings.push({ ...ref, on: reviewOn, step: 'accept' });
      }
    }
  }

  const links = new Map<string, string>();
  let outboxOffset = 0;
  let messages = 0;
  const counts = { uploads: 0, accepted: 0, rejected: 0, refused: 0, staffRefused: 0 };
  const followOutbox = async () => {
    const page = await readOutboxFrom(options.home, outboxOffset);
    outboxOffset = page.next;
    messages += page.messages.length;
    for (const m of page.messages) {
      const link = UPLOAD_LINK.exec(m.text ?? '')?.[0];
      if (m.obligation && link) links.set(m.obligation, link);
    }
  };
  const staffAct = async (step: StaffStep, day: PlainDate) => {
    const plan = plans.get(step.obligationId) as ObligationPlan;
    const actor = reviewerOf(step.actor === 'province' ? plan.provinceId : plan.collectorId);
    try {
      await actOnObligation(obligationActionPorts(wiring), actor, step.obligationId, step.request);
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      counts.staffRefused++;
      return;
    }
    if (step.request.action === 'return') {
      uploads.push({ obligationId: plan.id, on: addDays(day, plan.random.int(1, 4)), file: 'good' });
    }
  };

  const days = daysBetween(from, to) + 1;
  let done = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    await replay.tickAt(day);
    await followOutbox();

    // The hospitals, from 10:00: only those a link has reached act.
    let minute = 0;
    for (const upload of uploads.filter((u) => u.on <= day)) {
      const link = links.get(upload.obligationId);
      if (!link) continue;
      uploads.splice(uploads.indexOf(upload), 1);
      const plan = plans.get(upload.obligationId) as ObligationPlan;
      replay.setNow(at(day, 10, minute++));
      counts.uploads++;
      const outcome = await uploadAsHospital(ingest, {
        link,
        file: upload.file,
        ...(plan.annualYear !== undefined ? { figuresYear: plan.annualYear } : {}),
        meetsTargets: plan.meetsTargets,
        random: plan.random,
      });
      if (outcome.outcome === 'refused') {
        counts.refused++;
      } else if (outcome.outcome === 'rejected') {
        counts.rejected++;
        uploads.push({ obligationId: plan.id, on: addDays(day, plan.random.int(2, 5)), file: 'good' });
      } else {
        counts.accepted++;
        const returning = plan.behaviour === 'returned-then-resubmitted' && !plan.returned;
        plan.returned ||= returning;
        const reasons = words.returnReasons;
        staff.push({
          on: nextWorkingDay(day, plan.random.int(1, 3)),
          obligationId: plan.id,
          actor: 'collector',
          request: returning
            ? { action: 'return', reason: reasons[plan.random.int(0, reasons.length - 1)] as string }
            : { action: 'accept' },
        });
      }
    }

    // Staff, from 14:00, in the order their steps were planned.
    minute = 0;
    for (const step of staff.filter((s) => s.on === day)) {
      replay.setNow(at(day, 14, minute++));
      await staffAct(step, day);
    }

    // The city commissions forward from 16:00; the province reviews after them.
    minute = 0;
    for (const step of forwardings.filter((f) => f.on === day)) {
      replay.setNow(at(day, 16, minute++));
      const ref = { programmeId: step.programmeId, kind: step.kind, year: step.year };
      const province = reviewerOf(
        programmes.find((p) => p.id === step.programmeId)?.provincialCommissionId ?? '',
      );
      try {
        if (step.step === 'forward') {
          await forward(forwardingActionPorts(wiring), reviewerOf(step.commissionId), ref, {
            source: 'generated',
          });
        } else if (step.step === 'accept') {
          await acceptForwarding(forwardingActionPorts(wiring), province, {
            ...ref,
            commissionId: step.commissionId,
          });
        } else {
          await returnForwarding(forwardingActionPorts(wiring), province, {
            ...ref,
            commissionId: step.commissionId,
            reason: words.forwardingReturnReason,
          });
        }
      } catch (error) {
        if (!(error instanceof UserFacingError)) throw error;
        counts.staffRefused++;
      }
    }

    // The documents the plans call for, besides the status documents the tick publishes.
    const documentPorts = { ...wiring.documents, renderers: pdfRenderers };
    for (const form of forms.filter((f) => f.on === day || (day === from && f.on < from))) {
      replay.setNow(at(day, 8));
      const now = replay.now();
      await generateDocument(documentPorts, { type: 'form', ...form, at: now, generatedAt: now });
    }
    if (day.endsWith('-12-31')) {
      replay.setNow(at(day, 18));
      const now = replay.now();
      const year = Number(day.slice(0, 4));
      for (const programme of programmes.filter((p) => p.planYears.includes(year))) {
        await generateDocument(documentPorts, {
          type: 'annual',
          programmeId: programme.id,
          year,
          at: now,
          generatedAt: now,
        });
      }
    }
    await followOutbox();
    done++;
    options.onDay?.({ day, done, days, messages, uploads: counts.uploads });
  }

  const end = at(to, 18);
  replay.setNow(end);
  try {
    const summary = await summarise(
      { home: options.home, store, bucket: wiring.config.bucketName },
      { seed, from, to, at: end, days, uploads: counts },
    );
    await setSimulatedNow(options.home, end);
    return { ...summary, elapsedSeconds: Math.round((Date.now() - started) / 100) / 10 };
  } finally {
    await replay.stop();
  }
}
