/**
 * The console's URLs under /staff/, in one place: the pages link with these and the routes mount them,
 * so a link and its route cannot drift apart. Every id is percent-encoded into its segment.
 */
import { type PairingFilters, pairingFiltersQuery } from '../use-cases/console-pairings.ts';
import { SIGN_OUT_PATH, STAFF_HOME } from './web/staff-paths.ts';

const segment = encodeURIComponent;

export const consolePaths = {
  home: STAFF_HOME,
  overview: (programmeId: string) => `/staff/programmes/${segment(programmeId)}`,
  /** GET with the filters as its query. */
  pairings: (programmeId: string, filters: PairingFilters = {}) =>
    `/staff/programmes/${segment(programmeId)}/pairings${pairingFiltersQuery(filters)}`,
  /** The same list as .xlsx: the same query, so the file holds what the page shows. */
  pairingsExport: (programmeId: string, filters: PairingFilters = {}) =>
    `/staff/programmes/${segment(programmeId)}/pairings.xlsx${pairingFiltersQuery(filters)}`,
  /** GET lists the programme's documents; POST (with `_csrf`) generates one. */
  documents: (programmeId: string) => `/staff/programmes/${segment(programmeId)}/documents`,
  pairing: (pairingId: string) => `/staff/pairings/${segment(pairingId)}`,
  /** A redirect to a short-lived download of one submitted version (submissionDownloadUrl). */
  submission: (pairingId: string, submissionId: string) =>
    `/staff/pairings/${segment(pairingId)}/submissions/${segment(submissionId)}`,
  /** POST with `_csrf`, `action` (accept, return, extend, exempt, unexempt), `reason` and `to`. */
  obligationActions: (obligationId: string) => `/staff/obligations/${segment(obligationId)}/actions`,
  /** POST with `_csrf`, `institution`, `email` and the corrected fields (`newEmail` for the address). */
  contactUpdate: '/staff/contacts/update',
  /** POST with `_csrf`, `institution`, `email` and `reason`. */
  contactRemove: '/staff/contacts/remove',
  /**
   * POST with `_csrf`, `move` (next-day, next-stage, date with `date`) and `back` (the page to return
   * to): the local stack's simulated clock moves forward. Not mounted on AWS.
   */
  simulatedClock: '/staff/clock',
  /** POST with `_csrf` and `reason`: every upload link of the pairing stops working. */
  linksRevoke: (pairingId: string) => `/staff/pairings/${segment(pairingId)}/links/revoke`,
  /**
   * A forwarding kind and year of the reporting chain: a city commission's own page, or the
   * province's page of every city (the same address; who is signed in decides).
   */
  forwarding: (programmeId: string, kind: string, year: number) =>
    `/staff/programmes/${segment(programmeId)}/forwardings/${segment(kind)}/${year}`,
  /** POST (multipart) with `_csrf`, `confirm`, `document` (`upload` with `file`, or `generate`). */
  forward: (programmeId: string, kind: string, year: number) =>
    `/staff/programmes/${segment(programmeId)}/forwardings/${segment(kind)}/${year}/forward`,
  /** POST with `_csrf`, `action` (accept, return) and `reason`: the province's review of one city's. */
  forwardingReview: (programmeId: string, kind: string, year: number, commissionId: string) =>
    `/staff/programmes/${segment(programmeId)}/forwardings/${segment(kind)}/${year}/${segment(commissionId)}/review`,
  /** POST with `_csrf`. */
  signOut: SIGN_OUT_PATH,
} as const;
