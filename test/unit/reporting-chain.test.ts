/**
 * The reporting chain as the plans write it, on the shipped seeds: who a pairing reports to, the
 * hospitals' date before the commission's, and what each collecting commission owes the province.
 */
import { describe, expect, it } from 'vitest';
import type { Pairing, Programme } from '../../functions/domain/model.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import {
  collectionId,
  collectorOf,
  forwardingId,
  forwardingsOf,
  pairingDueDate,
  parseCollectionId,
  reportsDirectly,
  workingDaysBefore,
} from '../../functions/domain/reporting-chain.ts';
import { obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';

const planned = planSeeds(await readSeedFiles());
const directory = institutionDirectory(planned.institutions);
const programmeOf = (id: string) => {
  const found = planned.programmes.find((p) => p.programme.id === id);
  if (!found) throw new Error(`no programme ${id}`);
  return found;
};
const fujian = programmeOf('fj-2021');
const jiangsu = programmeOf('js-2022');
const pairing = (p: { pairings: Pairing[] }, id: string) => {
  const found = p.pairings.find((x) => x.id === id);
  if (!found) throw new Error(`no pairing ${id}`);
  return found;
};
const HUAAN = pairing(fujian, 'fj-2021.fj-huaan-county-hospital'); // lead: 厦门大学附属第一医院 (city)
const SONGXI = pairing(fujian, 'fj-2021.fj-songxi-county-hospital'); // lead: 福建省立医院 (provincial)
const LUOLONG = pairing(fujian, 'fj-2021.xz-luolong-county-hospital'); // lead: 泉州市卫健委 itself
const SIYANG = pairing(jiangsu, 'js-2022.js-siyang-county-first-hospital'); // lead: 苏州市第九人民医院

describe('who collects a pairing’s deliverables (Fujian §三(一), Jiangsu §七(一))', () => {
  it('the lead supporter’s city commission, for a city hospital', () => {
    expect(collectorOf(fujian.programme, HUAAN, directory).id).toBe('fj-xiamen-health-commission');
    expect(collectorOf(jiangsu.programme, SIYANG, directory).id).toBe('js-suzhou-health-commission');
  });

  it('the province directly, for a provincially managed lead supporter (省属医院直接发送)', () => {
    const collector = collectorOf(fujian.programme, SONGXI, directory);
    expect(collector.id).toBe('fj-provincial-commission');
    expect(reportsDirectly(fujian.programme, collector)).toBe(true);
  });

  it('the commission itself, where a city commission leads the supporting group (Fujian annex 1)', () => {
    expect(collectorOf(fujian.programme, LUOLONG, directory).id).toBe('fj-quanzhou-health-commission');
  });

  it('is recorded on every obligation of the pairing', () => {
    const obligations = obligationsOfPairing(fujian.programme, HUAAN, directory, prcCalendar);
    expect(new Set(obligations.map((o) => o.collectorId))).toEqual(new Set(['fj-xiamen-health-commission']));
  });
});

describe('the hospitals’ date before the commission’s (product default: five working days)', () => {
  it('counts working days back over weekends and holidays', () => {
    // Monday 28 February 2022 → Monday 21 February.
    expect(workingDaysBefore(prcCalendar, '2022-02-28', 5)).toBe('2022-02-21');
    // Saturday 10 December 2022: from Friday the 9th, five working days back is Friday the 2nd.
    expect(workingDaysBefore(prcCalendar, '2022-12-10', 5)).toBe('2022-12-02');
    // Across National Day 2022 (1–7 October off, 8–9 October make-up working days).
    expect(workingDaysBefore(prcCalendar, '2022-10-10', 2)).toBe('2022-10-08');
    expect(workingDaysBefore(prcCalendar, '2022-10-10', 3)).toBe('2022-09-30');
    expect(workingDaysBefore(prcCalendar, '2022-10-10', 0)).toBe('2022-10-10');
  });

  it('a pairing through a city is due before the commission; a direct one on the plan’s date (Fujian §三(一)–(二))', () => {
    const due = (p: Pairing) =>
      Object.fromEntries(
        obligationsOfPairing(fujian.programme, p, directory, prcCalendar)
          .filter((o) => o.year === 2022)
          .map((o) => [o.kind, o.dueDate]),
      );
    expect(due(HUAAN)).toEqual({ agreement: '2022-02-21', 'annual-report': '2022-12-02' });
    expect(due(SONGXI)).toEqual({ agreement: '2022-02-28', 'annual-report': '2022-12-10' });
  });

  it('a city can give its hospitals a lead of its own', () => {
    const [agreementRule, annualRule] = fujian.programme.reportingChain.forwardings;
    if (!agreementRule || !annualRule) throw new Error('Fujian forwards both kinds');
    const programme: Programme = {
      ...fujian.programme,
      reportingChain: {
        ...fujian.programme.reportingChain,
        forwardings: [
          { ...agreementRule, hospitalLeadByCommission: { 'fj-xiamen-health-commission': 2 } },
          annualRule,
        ],
      },
    };
    const xiamen = collectorOf(programme, HUAAN, directory);
    expect(pairingDueDate(programme, 'agreement', 2022, '02-28', xiamen, prcCalendar)).toBe('2022-02-24');
    const quanzhou = collectorOf(programme, LUOLONG, directory);
    expect(pairingDueDate(programme, 'agreement', 2022, '02-28', quanzhou, prcCalendar)).toBe('2022-02-21');
  });
});

describe('what each collecting commission owes the province (Fujian §三(一)–(二))', () => {
  const forwardings = forwardingsOf(fujian.programme, fujian.pairings, directory);

  it('one per collecting city commission, kind and year, due on the plan’s dates', () => {
    const agreements = forwardings.filter((f) => f.kind === 'agreement-forwarding');
    expect(agreements.map((f) => [f.commissionId, f.dueDate, f.pairingIds.length])).toEqual([
      ['fj-fuzhou-health-commission', '2022-02-28', 4],
      ['fj-quanzhou-health-commission', '2022-02-28', 1],
      ['fj-xiamen-health-commission', '2022-02-28', 7],
      ['fj-zhangzhou-health-commission', '2022-02-28', 1],
    ]);
    const annual = forwardings.filter((f) => f.kind === 'annual-evaluation');
    expect(annual).toHaveLength(4 * 4);
    expect(new Set(annual.map((f) => f.dueDate))).toEqual(
      new Set(['2022-12-10', '2023-12-10', '2024-12-10', '2025-12-10']),
    );
  });

  it('no direct pairing is in any commission’s collection, and every other pairing is in exactly one', () => {
    const collected = forwardings
      .filter((f) => f.kind === 'agreement-forwarding')
      .flatMap((f) => f.pairingIds);
    expect(collected).not.toContain(SONGXI.id);
    expect(new Set(collected).size).toBe(collected.length);
    const direct = fujian.pairings.filter((p) =>
      reportsDirectly(fujian.programme, collectorOf(fujian.programme, p, directory)),
    );
    expect(collected.length + direct.length).toBe(fujian.pairings.length);
  });

  it('names its collection so that no pairing id can take it', () => {
    expect(collectionId('fj-2021', 'fj-xiamen-health-commission')).toBe(
      'fj-2021~fj-xiamen-health-commission',
    );
    expect(forwardingId('fj-2021', 'fj-xiamen-health-commission', 'agreement-forwarding', 2022)).toBe(
      'fj-2021~fj-xiamen-health-commission#agreement-forwarding#2022',
    );
    expect(parseCollectionId('fj-2021~fj-xiamen-health-commission')).toEqual({
      programmeId: 'fj-2021',
      commissionId: 'fj-xiamen-health-commission',
    });
    expect(parseCollectionId('fj-2021.fj-huaan-county-hospital')).toBeUndefined();
    for (const p of [...fujian.pairings, ...jiangsu.pairings]) expect(p.id).not.toContain('~');
  });
});
