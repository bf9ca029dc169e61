/**
 * The weekly digests' content at a scale the plans do not reach (Fujian §三(一): every city commission
 * chases its own pairings, the province the cities): 500 made-up cities × 3 pairings, built as objects,
 * the digests worked out by digestsOf and rendered by the real staff mail templates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createStaffMailRenderer } from '../../functions/adapters/email-renderer.ts';
import type { DigestView } from '../../functions/domain/email.ts';
import type { Institution } from '../../functions/domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../../functions/domain/pairings.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import type { ObligationWithRecord } from '../../functions/domain/records.ts';
import { obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import {
  type CommissionDigest,
  DIGEST_ROW_CAP,
  digestsOf,
  outstandingAt,
  responsibleCommissions,
} from '../../functions/use-cases/publish-documents.ts';
import { type SyntheticProgramme, syntheticProgramme } from '../support/synthetic-programme.ts';

const CITIES = 500;
const PER_CITY = 3;
/** Monday 28 February 2022: the city-routed agreements were due on the 21st (Fujian §三(一)). */
const DAY = '2022-02-28';
const statusDocument = { title: '协议签订情况', url: 'https://bangfu.example/d/status' };

/** A Map that counts its look-ups: the directory's indexes, so work can be counted, not timed. */
class CountingMap<K, V> extends Map<K, V> {
  gets = 0;
  override get(key: K): V | undefined {
    this.gets += 1;
    return super.get(key);
  }
}

function countingDirectory(institutions: readonly Institution[]) {
  const plain = institutionDirectory(institutions);
  const directory: InstitutionDirectory = {
    byId: new CountingMap(plain.byId),
    byName: new CountingMap(plain.byName),
    cityCommissions: new CountingMap(plain.cityCommissions),
    countyGovernments: new CountingMap(plain.countyGovernments),
  };
  const lookups = () =>
    Object.values(directory).reduce((sum, map) => sum + (map as CountingMap<string, Institution>).gets, 0);
  return { directory, lookups };
}

/**
 * Every city's agreement of 2022 outstanding: odd cities' overdue (due 21 Feb), even cities' extended
 * to Friday 4 March (due this week) or, every fourth, to 15 March.
 */
function outstandingOf({ programme, institutions, pairings }: SyntheticProgramme): ObligationWithRecord[] {
  const directory = institutionDirectory(institutions);
  const all = pairings.flatMap((pairing, p) => {
    const city = Math.floor(p / PER_CITY) + 1;
    const extendedTo = city % 2 === 1 ? undefined : city % 4 === 0 ? '2022-03-15' : '2022-03-04';
    return obligationsOfPairing(programme, pairing, directory, prcCalendar)
      .filter((o) => o.kind === 'agreement' && o.year === 2022)
      .map((obligation) => ({
        obligation: { ...obligation, effectiveDueDate: extendedTo ?? obligation.effectiveDueDate },
        record: extendedTo ? { extendedTo } : {},
      }));
  });
  return outstandingAt(all, startOfBeijingDay(DAY));
}

const staffMail = createStaffMailRenderer();
const rendered = (digest: CommissionDigest) => {
  const view: DigestView = { ...digest.view, statusDocument };
  return staffMail.digest(view, { from: 'bangfu@example.org', to: ['x@example.org'], cc: [] }, 'trace');
};

let synthetic: SyntheticProgramme;
let outstanding: ObligationWithRecord[];
let digests: CommissionDigest[];
let lookups: number;

beforeAll(async () => {
  synthetic = await syntheticProgramme(CITIES, PER_CITY);
  outstanding = outstandingOf(synthetic);
  const counting = countingDirectory(synthetic.institutions);
  const { programme, pairings } = synthetic;
  const responsible = responsibleCommissions(programme, pairings, counting.directory);
  digests = digestsOf(programme, pairings, outstanding, counting.directory, responsible, DAY, DAY);
  lookups = counting.lookups();
});

describe('the weekly digests of 500 cities × 3 pairings (Fujian §三(一))', () => {
  it('has every pairing outstanding, one digest for the province and one per city commission', () => {
    expect(outstanding).toHaveLength(CITIES * PER_CITY);
    expect(digests[0]?.commission.id).toBe('fj-provincial-commission');
    expect(digests).toHaveLength(1 + CITIES);
  });

  it('works out all digests with directory look-ups linear in the pairings, not commissions × obligations', () => {
    // Resolving each pairing's parties once costs a handful of look-ups a pairing; resolving them again
    // in each city commission's digest means 500 × 1,500 resolutions of about five look-ups each.
    expect(lookups).toBeLessThan(10 * (synthetic.pairings.length + outstanding.length));
  });

  it('summarises the province’s digest by city: every city once, totals, no per-obligation rows, under 100 KB', () => {
    const provincial = digests[0] as CommissionDigest;
    expect(provincial.view.items).toEqual([]);
    expect(provincial.view.cities.map((c) => c.city).sort()).toEqual(
      Array.from({ length: CITIES }, (_, i) => `测${i + 1}市`).sort(),
    );
    expect(provincial.view).toMatchObject({
      outstandingCount: 1500,
      overdueCount: 750,
      openCount: 750,
      dueThisWeekCount: 375,
    });
    // The most overdue first; a city due this week and one extended beyond it.
    expect(provincial.view.cities[0]).toMatchObject({ overdue: 3, open: 0, dueThisWeek: 0 });
    expect(provincial.view.cities.find((c) => c.city === '测2市')).toEqual({
      city: '测2市',
      outstanding: 3,
      overdue: 0,
      open: 3,
      dueThisWeek: 3,
    });
    expect(provincial.view.cities.find((c) => c.city === '测4市')).toMatchObject({ open: 3, dueThisWeek: 0 });

    const mail = rendered(provincial);
    const bytes = Buffer.byteLength(mail.subject + mail.text + mail.html);
    expect(bytes).toBeLessThan(100_000);
    for (const city of ['测1市', '测10市', '测500市'])
      expect(mail.text.split('\n').filter((line) => line.startsWith(`${city}｜`))).toHaveLength(1);
    expect(mail.text).toContain('合计｜750｜750｜375');
    expect(mail.text).not.toContain('（牵头）');
    expect(mail.subject).toContain('待办 1500 项（逾期 750 项）');
    expect(mail.text).toContain(statusDocument.url);
  });

  it('lists a city commission’s own pairings, and only those, row by row', () => {
    const city = digests.find((d) => d.commission.id === 'syn-7-commission') as CommissionDigest;
    expect(city.view.cities).toEqual([]);
    expect(city.view.items.map((row) => row.recipient)).toEqual([
      '测7市1县医院',
      '测7市2县医院',
      '测7市3县医院',
    ]);
    const mail = rendered(city);
    expect(mail.text).toContain('测7市2县医院 ← 测7市第一医院（牵头）');
    expect(mail.text).not.toContain('测70市');
  });
});

describe(`a city commission with more than ${DIGEST_ROW_CAP} outstanding rows (Fujian §三(一))`, () => {
  it('summarises by city as the province’s digest does, instead of listing them', async () => {
    const big = await syntheticProgramme(1, DIGEST_ROW_CAP + 1);
    const directory = institutionDirectory(big.institutions);
    const rows = outstandingAt(
      big.pairings.flatMap((pairing) =>
        obligationsOfPairing(big.programme, pairing, directory, prcCalendar)
          .filter((o) => o.kind === 'agreement' && o.year === 2022)
          .map((obligation) => ({ obligation, record: {} })),
      ),
      startOfBeijingDay(DAY),
    );
    const responsible = responsibleCommissions(big.programme, big.pairings, directory);
    const city = digestsOf(big.programme, big.pairings, rows, directory, responsible, DAY, DAY).find(
      (d) => d.commission.id === 'syn-1-commission',
    );
    expect(city?.view.items).toEqual([]);
    expect(city?.view.cities).toEqual([
      { city: '测1市', outstanding: 201, overdue: 201, open: 0, dueThisWeek: 0 },
    ]);
  });
});
