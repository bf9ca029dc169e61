/**
 * The staff console's pages from the Handlebars templates in `templates/pages/staff/`: compiled once,
 * strict (a misspelt field fails instead of printing nothing), every value escaped. Server-rendered
 * with no script: charts are inline SVG drawn here (console-charts.ts), filters a GET form.
 *
 * The use cases' views carry codes, dates and instants; this module turns them into words from
 * `templates/` (console.zh.json, states.zh.json's console section, labels.zh.json, and the dossier's
 * wording in pdf/labels.zh.json for the facts the PDF states the same way, staff-actions.zh.json for
 * what staff did).
 */
import figureWords from '../../templates/annual-figures.zh.json' with { type: 'json' };
import chainWords from '../../templates/chain.zh.json' with { type: 'json' };
import words from '../../templates/console.zh.json' with { type: 'json' };
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import pdfLabels from '../../templates/pdf/labels.zh.json' with { type: 'json' };
import actionWords from '../../templates/staff-actions.zh.json' with { type: 'json' };
import states from '../../templates/states.zh.json' with { type: 'json' };
import {
  type Basis,
  OBLIGATION_STATES,
  type ObligationState,
  type PairingCategory,
  type TaskLevel,
} from '../domain/model.ts';
import { addDays, beijingDate, beijingDateTime, weekdayZh } from '../domain/plain-date.ts';
import type { DossierObligation } from '../domain/reports/pairing-dossier.ts';
import {
  REPORT_STATES,
  type ReportState,
  type StateCounts,
  type StateRates,
} from '../domain/reports/snapshot.ts';
import { mayDo } from '../domain/staff.ts';
import { EMERGENCY_CENTRES } from '../domain/submission.ts';
import { dateZh, fill, formatSize } from '../domain/wording.ts';
import type {
  CityForwardingView,
  ForwardingLink,
  ForwardingPageView,
  PairingRoute,
  ProvinceForwardingView,
} from '../use-cases/console-chain.ts';
import type { ConsoleDocumentsView } from '../use-cases/console-documents.ts';
import type { ProgrammeOverview } from '../use-cases/console-overview.ts';
import type { PairingAuditEntry, PairingDetailView } from '../use-cases/console-pairing.ts';
import type { PairingFilters, PairingListView } from '../use-cases/console-pairings.ts';
import type { ConsoleContext } from '../use-cases/console-scope.ts';
import { stackedBarGeometry, timelineGeometry } from './console-charts.ts';
import { consolePaths } from './console-paths.ts';
import { pageTemplates } from './page-templates.ts';
import { stageText } from './pdf/wording.ts';
import { templatePath } from './templates-dir.ts';

/** What every page's frame shows: who is signed in, the programmes they may open, the CSRF token. */
export interface ConsoleFrame {
  context: ConsoleContext;
  /** The session's token: every POST form (sign-out, generate a document) carries it as `_csrf`. */
  csrfToken: string;
  /** What the last action did, shown once after its redirect. */
  notice?: string;
  /**
   * The local stack's simulated now, in every page's header; `movable` when this staff member may
   * move it (admins), with `back`, the page the form returns to.
   */
  simulatedClock?: { now: Date; movable: boolean; back: string };
}

export interface ConsolePageRenderer {
  /** `chain`: the reporting chain's pages this staff member has (console-chain.ts forwardingLinks). */
  overviewPage(frame: ConsoleFrame, view: ProgrammeOverview, chain?: readonly ForwardingLink[]): string;
  /** A city commission's forwarding, or the province's page of every city's. */
  forwardingPage(frame: ConsoleFrame, view: ForwardingPageView): string;
  pairingListPage(frame: ConsoleFrame, view: PairingListView): string;
  pairingPage(frame: ConsoleFrame, view: PairingDetailView): string;
  documentsPage(frame: ConsoleFrame, view: ConsoleDocumentsView): string;
}

/** The console's words for the timeline state of an obligation (states.zh.json, one per state). */
export const CONSOLE_STATE_WORDS: Record<ObligationState, string> = states.console;
/** The reports' words for what is counted: on time, late, missing, pending, exempt. */
export const OUTCOME_WORDS: Record<ReportState, string> = pdfLabels.states;
export const CATEGORY_WORDS: Record<PairingCategory, string> = labels.categories;
export const TASK_LEVEL_WORDS: Record<TaskLevel, string> = labels.taskLevels;

const NONE = pdfLabels.common.none;
const SEPARATOR = labels.listSeparator;
const dossierWords = pdfLabels.dossier;

type Section = 'overview' | 'pairings' | 'documents' | 'pairing';

export function createConsolePageRenderer(templatesDir: string = templatePath('pages')): ConsolePageRenderer {
  const templates = pageTemplates(templatesDir);
  templates.partial('staffHead', 'staff/_head.hbs');
  templates.partial('staffLayout', 'staff/_layout.hbs');
  templates.partial('filterSelect', 'staff/_filter-select.hbs');
  const compile = (name: string) => templates.compile(`staff/${name}`);
  const overview = compile('overview.html.hbs');
  const pairings = compile('pairings.html.hbs');
  const pairing = compile('pairing.html.hbs');
  const documents = compile('documents.html.hbs');
  const cityForwarding = compile('forwarding-city.html.hbs');
  const provinceForwarding = compile('forwarding-province.html.hbs');
  return {
    overviewPage: (frame, view, chain = []) =>
      overview({ ...overviewData(frame, view), chain: chainLinksData(view.programme.id, chain) }),
    forwardingPage: (frame, view) =>
      view.role === 'city'
        ? cityForwarding(cityForwardingData(frame, view))
        : provinceForwarding(provinceForwardingData(frame, view)),
    pairingListPage: (frame, view) => pairings(pairingListData(frame, view)),
    pairingPage: (frame, view) => pairing(pairingData(frame, view)),
    documentsPage: (frame, view) => documents(documentsData(frame, view)),
  };
}

// ---- the frame ---------------------------------------------------------------------------------

function frameData(frame: ConsoleFrame, title: string, programmeId: string, section: Section) {
  const { staff, programmes } = frame.context;
  return {
    title,
    homePath: consolePaths.home,
    signOutPath: consolePaths.signOut,
    csrfToken: frame.csrfToken,
    ...(frame.simulatedClock ? { simulatedClock: simulatedClockData(frame.simulatedClock) } : {}),
    staff: { name: staff.name, commission: staff.commission, role: words.roles[staff.role] },
    programmes: programmes.map((p) => ({
      shortName: p.shortName,
      current: p.id === programmeId,
      nav: {
        overview: consolePaths.overview(p.id),
        pairings: consolePaths.pairings(p.id),
        documents: consolePaths.documents(p.id),
        isOverview: p.id === programmeId && section === 'overview',
        isPairings: p.id === programmeId && section === 'pairings',
        isDocuments: p.id === programmeId && section === 'documents',
      },
    })),
  };
}

/** "模拟日期：2022年2月21日（星期一）09:00", and the form that moves it. */
function simulatedClockData(clock: NonNullable<ConsoleFrame['simulatedClock']>) {
  const day = beijingDate(clock.now);
  const clockWords = words.simulatedClock;
  return {
    label: fill(clockWords.label, {
      date: dateZh(day),
      weekday: weekdayZh(day),
      time: beijingDateTime(clock.now).slice(11),
    }),
    ...(clock.movable
      ? {
          form: {
            action: consolePaths.simulatedClock,
            back: clock.back,
            legend: clockWords.legend,
            nextDay: clockWords.nextDay,
            nextStage: clockWords.nextStage,
            jump: clockWords.jump,
            min: addDays(day, 1),
          },
        }
      : {}),
  };
}

// ---- shared words ------------------------------------------------------------------------------

const instant = (iso: string) => beijingDateTime(new Date(iso));
const percent = (value: number | undefined) =>
  value === undefined ? NONE : fill(words.percent, { value: value.toFixed(1) });
const list = (items: readonly string[]) => items.join(SEPARATOR) || NONE;
const levelsText = (levels: readonly TaskLevel[]) => list(levels.map((l) => TASK_LEVEL_WORDS[l]));
const kindShort = (kind: string) => (words.kindShort as Record<string, string>)[kind] ?? kind;
const kindYear = (kind: string, year: number) => fill(words.kindYear, { kind: kindShort(kind), year });
const extendedText = (dueDate: string, effective: string) =>
  effective !== dueDate ? fill(dossierWords.extended, { date: dateZh(effective) }) : '';

// ---- overview ----------------------------------------------------------------------------------

function overviewData(frame: ConsoleFrame, view: ProgrammeOverview) {
  const { timeline } = view;
  const monthDay = (date: string) => {
    const [, month, day] = date.split('-').map(Number) as [number, number, number];
    return fill(words.timeline.monthDay, { month, day });
  };
  const chart = timelineGeometry(timeline, {
    year: (year) => fill(words.yearOf, { year }),
    monthDay,
    today: words.timeline.today,
  });
  const daysText = (n: number) =>
    n > 0
      ? fill(words.timeline.daysLeft, { n })
      : n === 0
        ? words.timeline.dueToday
        : fill(words.timeline.daysAgo, { n: -n });
  const headers = {
    city: pdfLabels.stateCounts.city,
    total: pdfLabels.stateCounts.total,
    completeness: pdfLabels.stateCounts.completeness,
    timeliness: pdfLabels.stateCounts.timeliness,
    sum: pdfLabels.common.total,
    states: REPORT_STATES.map((s) => OUTCOME_WORDS[s]),
  };
  const programmeId = view.programme.id;
  const countCells = (counts: StateCounts, filters: PairingFilters) =>
    REPORT_STATES.map((outcome) => ({
      count: counts[outcome],
      href: counts[outcome] > 0 ? consolePaths.pairings(programmeId, { ...filters, outcome }) : '',
    }));
  const rateCells = (rates: StateRates) => ({
    completeness: percent(rates.completeness),
    timeliness: percent(rates.timeliness),
  });
  return {
    frame: frameData(frame, view.programme.shortName, programmeId, 'overview'),
    programme: view.programme,
    asOf: instant(view.at),
    pairingCount: view.pairingCount,
    timeline: {
      chart,
      todayZh: dateZh(timeline.today),
      outside:
        timeline.todayIs === 'before'
          ? words.timeline.beforePlan
          : timeline.todayIs === 'after'
            ? words.timeline.afterPlan
            : '',
      legend: { agreement: kindShort('agreement'), annual: kindShort('annual-report') },
      milestones: timeline.milestones.map((m) => ({
        sectionId: m.sectionId,
        when: m.when,
        dueZh: dateZh(m.dueDate),
        title: m.title,
        year: m.year,
        whenWord: words.timeline[m.when],
        isOpen: m.isOpen,
        openWord: words.timeline.open,
        daysText: daysText(m.daysLeft),
      })),
    },
    sections: view.sections.map((section) => {
      const base = { kind: section.kind, year: section.year };
      const chartTitle = fill(words.chart.title, { kind: kindShort(section.kind), year: section.year });
      return {
        id: section.id,
        title: section.title,
        year: section.year,
        dueZh: fill(words.dueOn, { date: dateZh(section.dueDate) }),
        isCurrent: section.isCurrent,
        headers,
        chartTitle,
        chartDescription: words.chart.description,
        chart: stackedBarGeometry(
          section.cities.map((c) => ({ label: c.city, counts: c.counts })),
          {
            state: OUTCOME_WORDS,
            total: (n) => fill(words.chart.total, { n }),
            percent: (n) => fill(words.percent, { value: n }),
          },
        ),
        cities: section.cities.map((c) => ({
          city: c.city,
          href: consolePaths.pairings(programmeId, { ...base, city: c.city }),
          total: c.counts.total,
          cells: countCells(c.counts, { ...base, city: c.city }),
          ...rateCells(c.rates),
        })),
        totals: {
          total: section.totals.counts.total,
          cells: countCells(section.totals.counts, base),
          ...rateCells(section.totals.rates),
        },
      };
    }),
  };
}

// ---- pairing list ------------------------------------------------------------------------------

function pairingListData(frame: ConsoleFrame, view: PairingListView) {
  const { filters, options } = view;
  const programmeId = view.programme.id;
  const names = words.excel.filterNames;
  const flat = <T extends string | number>(values: readonly T[], label: (v: T) => string, selected?: T) => [
    {
      label: '',
      options: values.map((v) => ({ value: String(v), label: label(v), selected: v === selected })),
    },
  ];
  const selects = [
    {
      name: 'city',
      label: names.city,
      groups: flat(
        options.cities.map((c) => c.city),
        String,
        filters.city,
      ),
    },
    {
      name: 'county',
      label: names.county,
      groups: options.cities.map((c) => ({
        label: c.city,
        options: c.counties.map((county) => ({
          value: county,
          label: county,
          selected: county === filters.county,
        })),
      })),
    },
    {
      name: 'taskLevel',
      label: names.taskLevel,
      groups: flat(options.taskLevels, (l) => TASK_LEVEL_WORDS[l], filters.taskLevel),
    },
    {
      name: 'category',
      label: names.category,
      groups: flat(options.categories, (c) => CATEGORY_WORDS[c], filters.category),
    },
    {
      name: 'kind',
      label: names.kind,
      groups: flat(
        options.kinds.map((k) => k.kind),
        (k) => options.kinds.find((x) => x.kind === k)?.title ?? k,
        filters.kind,
      ),
    },
    {
      name: 'year',
      label: names.year,
      groups: flat(options.years, (y) => fill(words.yearOf, { year: y }), filters.year),
    },
    {
      name: 'outcome',
      label: names.outcome,
      groups: flat(REPORT_STATES, (s) => OUTCOME_WORDS[s], filters.outcome),
    },
    {
      name: 'state',
      label: names.state,
      groups: flat(OBLIGATION_STATES, (s) => CONSOLE_STATE_WORDS[s], filters.state),
    },
  ];
  return {
    frame: frameData(frame, view.programme.shortName, programmeId, 'pairings'),
    programme: view.programme,
    formAction: consolePaths.pairings(programmeId),
    clearHref: consolePaths.pairings(programmeId),
    exportHref: consolePaths.pairingsExport(programmeId, filters),
    names,
    columns: words.excel.columns,
    selects,
    q: filters.q ?? '',
    filtered: Object.keys(filters).length > 0,
    total: view.total,
    asOf: instant(view.at),
    rows: view.rows.map((row) => ({
      href: consolePaths.pairing(row.pairingId),
      recipient: row.recipient,
      city: row.city,
      county: row.county,
      lead: row.lead,
      others: list(row.otherSupporters),
      category: CATEGORY_WORDS[row.category],
      levels: levelsText(row.taskLevels),
      obligations: row.obligations.map((o) => ({
        kindYear: kindYear(o.kind, o.year),
        outcome: o.outcome,
        outcomeWord: OUTCOME_WORDS[o.outcome],
        stateWord: CONSOLE_STATE_WORDS[o.state],
        extended: extendedText(o.dueDate, o.effectiveDueDate),
      })),
    })),
  };
}

// ---- pairing -----------------------------------------------------------------------------------

/** What the dossier's detail column says of an obligation: submitted, reviewed, exempted. */
export function obligationFacts(
  o: Pick<DossierObligation, 'submittedAt' | 'review' | 'exemptedAt'>,
): string[] {
  const facts: string[] = [];
  if (o.submittedAt) facts.push(fill(dossierWords.submittedAt, { time: instant(o.submittedAt) }));
  if (o.review) {
    facts.push(
      fill(dossierWords.review[o.review.outcome], {
        time: instant(o.review.at),
        reason: o.review.reason ?? '',
      }),
    );
  }
  if (o.exemptedAt) facts.push(fill(dossierWords.exemptedAt, { time: instant(o.exemptedAt) }));
  return facts;
}

const actionLabels = actionWords.actions;

function pairingData(frame: ConsoleFrame, view: PairingDetailView) {
  const { pairing } = view;
  const admin = mayDo(frame.context.staff, 'manage-contacts');
  const titleOf = new Map(
    view.obligations.map((o) => [o.id, fill(words.titleYear, { title: o.title, year: o.year })]),
  );
  const source = (s: PairingDetailView['pairing']['sources'][number]) => {
    const text = fill(dossierWords.source, {
      annex: s.annex,
      seq: s.seq !== undefined ? fill(dossierWords.sourceSeq, { seq: s.seq }) : '',
    });
    return s.taskLevel ? fill(words.withNote, { text, note: TASK_LEVEL_WORDS[s.taskLevel] }) : text;
  };
  return {
    frame: frameData(frame, pairing.recipient, view.programme.id, 'pairing'),
    programme: view.programme,
    listHref: consolePaths.pairings(view.programme.id),
    asOf: instant(view.at),
    pairing: {
      recipient: pairing.recipient,
      recipientPlace: pairing.recipientPlace,
      lead: pairing.lead,
      others: list(pairing.otherSupporters),
      countyGovernment: pairing.countyGovernment ?? NONE,
      commissions: list(pairing.responsibleCommissions),
      category: CATEGORY_WORDS[pairing.category],
      levels: levelsText(pairing.taskLevels),
      sources: list(pairing.sources.map(source)),
      pairingId: pairing.pairingId,
    },
    actions: mayDo(frame.context.staff, 'review')
      ? {
          words: words.actionsSection,
          labels: actionLabels,
          ...(frame.notice ? { notice: frame.notice } : {}),
          obligations: view.obligations.map((o) => ({
            title: titleOf.get(o.id),
            stateWord: CONSOLE_STATE_WORDS[o.timelineState],
            path: consolePaths.obligationActions(o.id),
            canReview:
              o.timelineState === 'submitted' || o.timelineState === 'late' || o.timelineState === 'accepted',
            exempt: o.timelineState === 'exempt',
          })),
        }
      : undefined,
    obligations: view.obligations.map((o) => ({
      title: o.title,
      year: o.year,
      opensOn: o.opensOn,
      dueDate: o.dueDate,
      extended: o.extendedTo ? fill(dossierWords.extended, { date: dateZh(o.extendedTo) }) : '',
      outcome: o.state,
      outcomeWord: OUTCOME_WORDS[o.state],
      stateWord: CONSOLE_STATE_WORDS[o.timelineState],
      facts: obligationFacts(o),
      versions: o.versions,
    })),
    submissions: view.submissions.map((s) => ({
      receivedAt: instant(s.receivedAt),
      title: s.title,
      year: s.year,
      version: fill(dossierWords.version, { n: s.version }),
      href: consolePaths.submission(pairing.pairingId, s.id),
      filename: s.filename,
      size: formatSize(s.size),
      withFigures: s.hasFigures ? dossierWords.withFigures : '',
      submittedBy: s.submittedBy,
      sha256: s.sha256,
      sha256Short: s.sha256.slice(0, 12),
    })),
    figures: view.figures.map((f) => ({
      year: f.year,
      version: fill(dossierWords.version, { n: f.version }),
      counts: (Object.keys(words.figures) as (keyof typeof words.figures)[]).map((key) => ({
        label: words.figures[key],
        value: f.figures[key],
      })),
      staff: f.figures.stationedStaff.map((s) => ({
        name: s.name,
        role: figureWords.roleLabels[s.role],
        from: s.from,
        to: s.to,
      })),
      centres: EMERGENCY_CENTRES.map((name) => ({
        name,
        status: figureWords.centreStatusLabels[f.figures.emergencyCentres[name]],
      })),
      verdicts: f.verdicts.map((v) => ({
        // Also the style class: met, unmet, or progress (a target judged only at the plan's end).
        outcome: v.outcome,
        result:
          v.outcome === 'progress' ? dossierWords.progress : v.met ? dossierWords.met : dossierWords.unmet,
        citation: v.citation,
        text: v.text,
        actual: v.actual ?? '',
        gap: v.gap ?? '',
      })),
    })),
    reminders: view.reminders.map((r) => ({
      day: r.day,
      title: r.title,
      year: r.year,
      stage: stageText(r.stage),
      recipients: r.recipients.map((x) => ({
        field: dossierWords.field[x.field],
        institution: x.institution,
        email: x.email,
        status: words.reminderStatus[x.status],
        problem: x.status === 'rejected',
        sentAt: x.sentAt ? instant(x.sentAt) : '',
        reason: x.reason ?? '',
      })),
    })),
    contacts: view.contacts.map((party) => ({
      role: words.partyRoles[party.role],
      institution: party.institution,
      contacts: party.contacts.map((c) => ({
        ...(admin
          ? {
              manage: {
                csrf: frame.csrfToken,
                words: words.contactActions,
                updatePath: consolePaths.contactUpdate,
                removePath: consolePaths.contactRemove,
                institution: party.institution,
                back: pairing.pairingId,
              },
            }
          : {}),
        name: c.name,
        role: c.role,
        email: c.email,
        phone: c.phone ?? NONE,
        phoneValue: c.phone ?? '',
        ok: words.addressOk,
        problem: c.addressProblem
          ? fill(words.problemLine, {
              problem: words.addressProblems[c.addressProblem.source],
              reason: c.addressProblem.reason,
              time: instant(c.addressProblem.at),
            })
          : '',
      })),
    })),
    ...(admin
      ? {
          links: {
            words: words.contactActions,
            path: consolePaths.linksRevoke(pairing.pairingId),
          },
        }
      : {}),
    ...(view.route ? { route: routeData(view.programme.id, view.route) } : {}),
    hasAudit: view.audit !== undefined,
    audit: (view.audit ?? []).map((entry) => ({
      at: instant(entry.at),
      actor: entry.actor.name,
      commission: fill(words.withNote, { text: entry.commission, note: words.roles[entry.actor.role] }),
      action: actionWords.actions[entry.action],
      obligation: entry.obligationId ? (titleOf.get(entry.obligationId) ?? entry.obligationId) : NONE,
      reason: entry.reason ?? '',
      detail: auditDetail(entry),
    })),
  };
}

/** What an audit entry changed, where the reason does not say it: the new due date of an extension. */
function auditDetail(entry: PairingAuditEntry): string {
  const to = entry.after?.extendedTo;
  return entry.action === 'extend' && typeof to === 'string'
    ? fill(dossierWords.extended, { date: dateZh(to) })
    : '';
}

// ---- reporting chain ---------------------------------------------------------------------------

/** Where a rule comes from: the plan's section, or the product default and its reason. */
export function basisText(basis: Basis): string {
  return basis.source === 'plan'
    ? fill(chainWords.basis.plan, { section: basis.section })
    : fill(chainWords.basis.productDefault, { reason: basis.reason });
}

const planSection = (basis: Basis) => (basis.source === 'plan' ? basis.section : NONE);

function chainLinksData(programmeId: string, links: readonly ForwardingLink[]) {
  if (links.length === 0) return undefined;
  return {
    words: chainWords.overview,
    links: links.map((l) => ({
      href: consolePaths.forwarding(programmeId, l.kind, l.year),
      title: fill(words.titleYear, { title: l.title, year: l.year }),
      label: l.scope === 'city' ? chainWords.overview.cityLink : chainWords.overview.provinceLink,
    })),
  };
}

function routeData(programmeId: string, route: PairingRoute) {
  const none = chainWords.route.none;
  return {
    words: chainWords.route,
    collector: route.collector?.name ?? chainWords.direct,
    collectorBasis: basisText(route.collectorBasis),
    items: route.items.map((item) => ({
      title: fill(words.titleYear, { title: item.obligationTitle, year: item.year }),
      hospitalDue: dateZh(item.hospitalDue),
      commissionDue: item.commissionDue ? dateZh(item.commissionDue) : none,
      dueBasis: item.dueBasis ? basisText(item.dueBasis) : none,
      leadBasis: item.hospitalLeadBasis ? basisText(item.hospitalLeadBasis) : none,
      href: item.kind && item.commissionDue ? consolePaths.forwarding(programmeId, item.kind, item.year) : '',
    })),
  };
}

const forwardingStatusWords: Record<string, string> = chainWords.province.states;

function cityForwardingData(frame: ConsoleFrame, view: CityForwardingView) {
  const city = chainWords.city;
  const { record } = view.forwarding;
  const title = fill(city.title, { title: view.rule.title, year: view.year });
  const document = record.forwarded?.document;
  const review = record.review;
  return {
    frame: frameData(frame, title, view.programme.id, 'overview'),
    programme: view.programme,
    overviewHref: consolePaths.overview(view.programme.id),
    words: city,
    title,
    commission: view.commission,
    asOf: instant(view.at),
    intro: fill(city.intro, { section: planSection(view.rule.dueBasis) }),
    hospitalDue: view.hospitalDueDate ? fill(city.hospitalDue, { date: dateZh(view.hospitalDueDate) }) : '',
    hospitalBasis: basisText(view.rule.hospitalLeadBasis),
    commissionDue: fill(city.commissionDue, { date: dateZh(view.forwarding.dueDate) }),
    dueBasis: basisText(view.rule.dueBasis),
    status: view.forwarding.status,
    statusWord: forwardingStatusWords[view.forwarding.status],
    forwarded:
      record.submittedAt && record.forwarded
        ? fill(city.forwardedAt, {
            time: instant(record.submittedAt),
            name: view.forwarding.forwardedByName ?? record.forwarded.by,
          })
        : '',
    document: document
      ? fill(city.document, {
          filename: document.filename,
          source: city.sources[document.source],
          size: formatSize(document.size),
        })
      : '',
    returned:
      review?.outcome === 'returned' && view.forwarding.status === 'returned'
        ? fill(city.returned, { time: instant(review.at), reason: review.reason ?? '' })
        : '',
    accepted: review?.outcome === 'accepted' ? fill(city.accepted, { time: instant(review.at) }) : '',
    summary: fill(city.summary, { accepted: view.accepted, outstanding: view.outstanding }),
    rows: view.rows.map((r) => ({
      recipient: r.recipient,
      lead: r.lead,
      stateWord: CONSOLE_STATE_WORDS[r.state],
      state: r.state,
      due: dateZh(r.dueDate),
      href: consolePaths.pairing(r.pairingId),
    })),
    ...(view.canForward
      ? {
          form: {
            action: consolePaths.forward(view.programme.id, view.rule.kind, view.year),
            annual: view.rule.kind === 'annual-evaluation',
            submit: view.forwarding.status === 'returned' ? city.reforward : city.submit,
          },
        }
      : {}),
    cannotForward: !view.mayAct && !view.canForward ? city.cannotForward : '',
    ...(frame.notice ? { notice: frame.notice } : {}),
  };
}

function provinceForwardingData(frame: ConsoleFrame, view: ProvinceForwardingView) {
  const province = chainWords.province;
  const title = fill(province.title, { title: view.rule.title, year: view.year });
  return {
    frame: frameData(frame, title, view.programme.id, 'overview'),
    programme: view.programme,
    overviewHref: consolePaths.overview(view.programme.id),
    words: province,
    title,
    asOf: instant(view.at),
    intro: fill(province.intro, { section: planSection(view.rule.dueBasis), date: dateZh(view.dueDate) }),
    dueBasis: basisText(view.rule.dueBasis),
    commissions: view.commissions.map((c) => {
      const { record } = c;
      const forwarded = record.forwarded;
      const review = record.review;
      return {
        commission: c.commission,
        pairingCount: c.pairingCount,
        status: c.status,
        statusWord: forwardingStatusWords[c.status],
        due: dateZh(c.dueDate),
        forwarded:
          record.submittedAt && forwarded
            ? fill(province.forwardedBy, {
                time: instant(record.submittedAt),
                name: c.forwardedByName ?? forwarded.by,
                accepted: forwarded.accepted.length,
                outstanding: forwarded.outstanding.length,
              })
            : '',
        document: forwarded?.document?.filename ?? '',
        returned:
          review?.outcome === 'returned'
            ? fill(province.returnedWhy, { time: instant(review.at), reason: review.reason ?? '' })
            : '',
        ...(c.canReview
          ? {
              review: {
                path: consolePaths.forwardingReview(
                  view.programme.id,
                  view.rule.kind,
                  view.year,
                  c.commissionId,
                ),
              },
            }
          : {}),
      };
    }),
    direct: view.direct.map((r) => ({
      recipient: r.recipient,
      lead: r.lead,
      stateWord: CONSOLE_STATE_WORDS[r.state],
      state: r.state,
      due: dateZh(r.dueDate),
      href: consolePaths.pairing(r.pairingId),
    })),
    ...(frame.notice ? { notice: frame.notice } : {}),
  };
}

// ---- documents ---------------------------------------------------------------------------------

function documentsData(frame: ConsoleFrame, view: ConsoleDocumentsView) {
  const programmeId = view.programme.id;
  const thisYear = Number(view.at.slice(0, 4));
  const latestDue = view.annualYears.filter((y) => y <= thisYear).at(-1) ?? view.annualYears[0];
  return {
    frame: frameData(frame, view.programme.shortName, programmeId, 'documents'),
    programme: view.programme,
    action: consolePaths.documents(programmeId),
    types: words.documentTypes,
    years: view.annualYears.map((year) => ({
      value: String(year),
      label: fill(words.yearOf, { year }),
      selected: year === latestDue,
    })),
    pairingForms: (['pairing', 'form'] as const).map((type) => ({ type, label: words.documentTypes[type] })),
    pairings: view.pairings.map((p) => ({
      value: p.pairingId,
      label: fill(words.withNote, {
        text: p.recipient,
        note: p.county === p.city ? p.city : `${p.city}${p.county}`,
      }),
    })),
    documents: view.documents.map((d) => ({
      title: d.title,
      asOf: instant(d.asOf),
      generatedAt: instant(d.generatedAt),
      size: formatSize(d.size),
      url: d.url,
    })),
  };
}
