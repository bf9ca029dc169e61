import { describe, expect, it } from 'vitest';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import { collectorOf } from '../../functions/domain/reporting-chain.ts';
import { parseRoster } from '../../functions/use-cases/import-roster.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';
import { accessPathOf, itemsReadBy } from '../bench/dynamo-counter.ts';
import { busyDayOf } from '../bench/scale.ts';
import { ROSTER_ROLES, syntheticPlan } from '../bench/synthetic/synthetic-plan.ts';

const seedInput = (plan: ReturnType<typeof syntheticPlan>) => ({
  institutions: { name: 'institutions.json', content: plan.institutions },
  programmes: [{ name: 'programme.json', content: plan.programme }],
});

describe('the synthetic programme (shaped like Fujian §三 and its annexes)', () => {
  const plan = syntheticPlan({ pairings: 400, seed: 7 });
  const planned = planSeeds(seedInput(plan));
  const [entry] = planned.programmes;
  const pairings = entry?.pairings ?? [];

  it('is the same programme for the same pairings and seed, and another for another seed', () => {
    expect(syntheticPlan({ pairings: 400, seed: 7 })).toEqual(plan);
    expect(syntheticPlan({ pairings: 400, seed: 8 }).programme.annexes).not.toEqual(plan.programme.annexes);
  });

  it('passes the seed loader with exactly the pairings asked for, over five plan years', () => {
    expect(pairings).toHaveLength(400);
    expect(entry?.programme.planYears).toEqual([2022, 2023, 2024, 2025, 2026]);
  });

  it('has both task levels, rows in both annexes, several supporters and TCM pairings', () => {
    expect(pairings.some((p) => p.taskLevels.length === 2)).toBe(true);
    expect(pairings.some((p) => p.taskLevels.join() === 'provincial')).toBe(true);
    expect(pairings.some((p) => p.taskLevels.join() === 'national')).toBe(true);
    expect(pairings.filter((p) => p.supporterIds.length > 1).length).toBeGreaterThan(20);
    expect(pairings.some((p) => p.category === 'tcm')).toBe(true);
  });

  it('routes pairings through city commissions and, for provincially managed leads, directly (Fujian §三(一))', () => {
    if (!entry) throw new Error('no programme');
    const directory = institutionDirectory(planned.institutions);
    const collectors = pairings.map((p) => collectorOf(entry.programme, p, directory));
    expect(collectors.some((c) => c.type === 'city-health-commission')).toBe(true);
    expect(collectors.some((c) => c.type === 'provincial-commission')).toBe(true);
  });

  it('has a roster contact per institution and role that the roster import accepts', () => {
    const directory = institutionDirectory(planned.institutions);
    const contacts = parseRoster(
      { name: 'roster.csv', text: plan.roster },
      (ref) => directory.byName.get(ref)?.id,
    );
    expect(contacts).toHaveLength(planned.institutions.length * ROSTER_ROLES.length);
    expect(contacts.every((c) => c.email.endsWith('@example.org'))).toBe(true);
  });

  it('takes the busy day from the city-routed agreement date: T-3 of 21 Feb 2022 is Fri 18 Feb (Fujian §三(一))', () => {
    expect(busyDayOf(seedInput(plan))).toBe('2022-02-18');
  });
});

describe('the bench DynamoDB request counter', () => {
  it('counts the items a read read: scanned before a filter, batch responses, a found item', () => {
    expect(itemsReadBy('QueryCommand', { ScannedCount: 9, Count: 2 })).toBe(9);
    expect(itemsReadBy('BatchGetItemCommand', { Responses: { t: [{}, {}, {}] } })).toBe(3);
    expect(itemsReadBy('GetItemCommand', {})).toBe(0);
    expect(itemsReadBy('GetItemCommand', { Item: {} })).toBe(1);
    expect(itemsReadBy('PutItemCommand', {})).toBe(0);
  });

  it('names a read by its index and the entities of its keys, not by whose they are', () => {
    expect(
      accessPathOf('QueryCommand', {
        IndexName: 'GSI1',
        ExpressionAttributeValues: { ':pk': 'PROG#sy-bench', ':prefix': 'OBL#' },
      }),
    ).toBe('Query GSI1 PROG OBL');
    expect(accessPathOf('GetItemCommand', { Key: { PK: 'PAIR#x', SK: 'OBL#agreement#2022' } })).toBe(
      'GetItem PAIR OBL',
    );
    // A write is named by the item it puts: the first issue of an upload link.
    expect(
      accessPathOf('PutItemCommand', { Item: { PK: 'PAIR#x', SK: 'LINK#agreement#2022#i', generation: 1 } }),
    ).toBe('PutItem PAIR LINK');
  });
});
