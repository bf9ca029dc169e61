import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoStaffAccounts, demoStaffPlan } from '../../functions/local/demo-staff.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';

const homes: string[] = [];
const newHome = async () => {
  const home = await mkdtemp(join(tmpdir(), 'bangfu-demo-staff-'));
  homes.push(home);
  return home;
};
afterAll(async () => {
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

describe('demo staff accounts', () => {
  it('gives each provincial commission an admin, a reviewer (of the forwardings, Fujian §三(一)) and a viewer, and each city commission a reviewer', async () => {
    const planned = planSeeds(await readSeedFiles());
    const seeds = {
      institutions: planned.institutions,
      programmes: planned.programmes.map((p) => p.programme),
    };
    const plan = demoStaffPlan(seeds);

    const provincial = plan.filter((a) => a.commissionId.endsWith('provincial-commission'));
    expect(provincial.map((a) => `${a.commissionId} ${a.role}`).sort()).toEqual([
      'fj-provincial-commission admin',
      'fj-provincial-commission reviewer',
      'fj-provincial-commission viewer',
      'js-provincial-commission admin',
      'js-provincial-commission reviewer',
      'js-provincial-commission viewer',
    ]);
    const cities = planned.institutions.filter((i) => i.type === 'city-health-commission').map((i) => i.id);
    expect(
      plan
        .filter((a) => a.role === 'reviewer' && !a.commissionId.endsWith('provincial-commission'))
        .map((a) => a.commissionId)
        .sort(),
    ).toEqual(cities.sort());
    expect(plan.find((a) => a.commissionId === 'fj-xiamen-health-commission')).toEqual({
      email: 'fj-xiamen-health-commission.reviewer@staff.bangfu.example.org',
      name: '演示审核员（厦门市卫生健康委员会）',
      commissionId: 'fj-xiamen-health-commission',
      role: 'reviewer',
    });
    for (const account of plan) expect(account.email).toMatch(/@([a-z0-9-]+\.)*example\.org$/);
  });

  it('keeps passwords per home: the same after a restart, different in another home', async () => {
    const home = await newHome();
    const first = await demoStaffAccounts(home);
    const again = await demoStaffAccounts(home);
    const elsewhere = await demoStaffAccounts(await newHome());

    expect(again).toEqual(first);
    expect(new Set(first.map((a) => a.password)).size).toBe(first.length);
    expect(first[0]?.password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(elsewhere[0]?.email).toBe(first[0]?.email);
    expect(elsewhere[0]?.password).not.toBe(first[0]?.password);
    const secret = await stat(join(home, 'oidc', 'demo-staff-secret'));
    expect(secret.mode & 0o077).toBe(0);
    expect(await readdir(join(home, 'oidc'))).toEqual(['demo-staff-secret']);
  });
});
