/** Entities for the contract suites: the plans as shipped (a few of them), and records as the use cases write them. */
import type { Contact, Obligation, Pairing, Programme } from '../../functions/domain/model.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import type {
  DocumentRecord,
  ReminderRecord,
  UploadLinkRecord,
  UploadSlot,
} from '../../functions/domain/records.ts';
import type { Submission } from '../../functions/domain/submission.ts';
import { obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';

const planned = planSeeds(await readSeedFiles());

export const institutions = planned.institutions;

function programmeOf(id: string): { programme: Programme; pairings: Pairing[] } {
  const found = planned.programmes.find((p) => p.programme.id === id);
  if (!found) throw new Error(`no programme ${id} in seeds/`);
  return found;
}

export const fujian = programmeOf('fj-2021');
export const jiangsu = programmeOf('js-2022');

/**
 * Huaan county hospital's pairing in Fujian. Its lead supporter is a Xiamen city hospital, so it
 * reports to 厦门市卫健委 five working days before the commission's dates (Fujian §三(一)–(二)):
 * agreement due 2022-02-21, annual reports 2022-12-02, 2023-12-01, 2024-12-03, 2025-12-03.
 */
export const HUAAN = 'fj-2021.fj-huaan-county-hospital';
export const huaan = fujian.pairings.find((p) => p.id === HUAAN) as Pairing;

const directory = institutionDirectory(planned.institutions);
const obligationsOf = (p: Pairing) => obligationsOfPairing(fujian.programme, p, directory, prcCalendar);
const throughACity = (p: Pairing) =>
  obligationsOf(p)[0]?.collectorId !== fujian.programme.provincialCommissionId;

/** `n` Fujian pairings reporting through a city commission, Huaan's first. */
export function fujianPairings(n = 3): Pairing[] {
  return [huaan, ...fujian.pairings.filter((p) => p.id !== HUAAN && throughACity(p)).slice(0, n - 1)];
}

/** The obligations of `fujianPairings(n)`. */
export function fujianObligations(n = 3): Obligation[] {
  return fujianPairings(n).flatMap(obligationsOf);
}

export const contact = (n: number, overrides: Partial<Contact> = {}): Contact => ({
  institutionId: 'fj-huaan-county-hospital',
  role: '联络员',
  name: `联络员${n}`,
  email: `coordinator${n}@example.org`,
  ...overrides,
});

export const reminder = (overrides: Partial<ReminderRecord> = {}): ReminderRecord => ({
  programmeId: 'fj-2021',
  pairingId: HUAAN,
  obligationId: `${HUAAN}#agreement#2022`,
  kind: 'agreement',
  year: 2022,
  stage: 'T-7',
  day: '2022-02-21',
  email: 'fj-huaan-county-hospital@example.org',
  institutionId: 'fj-huaan-county-hospital',
  field: 'to',
  status: 'sending',
  runId: 'run-a',
  claimedAt: '2022-02-21T01:00:00.000Z',
  ...overrides,
});

export const uploadLink = (overrides: Partial<UploadLinkRecord> = {}): UploadLinkRecord => ({
  pairingId: HUAAN,
  obligationId: `${HUAAN}#agreement#2022`,
  kind: 'agreement',
  year: 2022,
  institutionId: 'fj-xmu-first-affiliated-hospital',
  generation: 1,
  issuedAt: '2022-02-21T01:00:00.000Z',
  ...overrides,
});

export const uploadSlot = (slotId: string, overrides: Partial<UploadSlot> = {}): UploadSlot => ({
  slotId,
  programmeId: 'fj-2021',
  pairingId: HUAAN,
  obligationId: `${HUAAN}#agreement#2022`,
  kind: 'agreement',
  year: 2022,
  institutionId: 'fj-xmu-first-affiliated-hospital',
  generation: 1,
  filename: '协议书.pdf',
  declaredType: 'application/pdf',
  declaredSize: 1000,
  maxBytes: 20 * 1024 * 1024,
  bucket: 'bangfu-files',
  key: `incoming/fj-2021/${HUAAN}/agreement-2022/${slotId}`,
  issuedAt: '2022-02-21T01:00:00.000Z',
  postExpiresAt: '2022-02-21T01:10:00.000Z',
  state: 'issued',
  ...overrides,
});

export const submission = (
  slotId: string,
  overrides: Partial<Omit<Submission, 'version'>> = {},
): Omit<Submission, 'version'> => ({
  id: slotId,
  programmeId: 'fj-2021',
  pairingId: HUAAN,
  obligationId: `${HUAAN}#agreement#2022`,
  kind: 'agreement',
  year: 2022,
  institutionId: 'fj-xmu-first-affiliated-hospital',
  receivedAt: '2022-02-21T02:00:00.000Z',
  bucket: 'bangfu-files',
  key: `submissions/fj-2021/${HUAAN}/agreement-2022/${slotId}.pdf`,
  sha256: 'a'.repeat(64),
  size: 1000,
  contentType: 'application/pdf',
  filename: '协议书.pdf',
  ...overrides,
});

export const documentRecord = (id: string, generatedAt: string): DocumentRecord => ({
  id,
  type: 'agreements',
  programmeId: 'fj-2021',
  title: '对口帮扶协议书提交情况',
  filename: `${id}.pdf`,
  bucket: 'bangfu-files',
  key: `documents/${id}.pdf`,
  sha256: 'b'.repeat(64),
  size: 2000,
  asOf: '2022-02-28T16:00:00.000Z',
  generatedAt,
});
