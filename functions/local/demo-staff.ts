/**
 * The local provider's demo staff, derived from the seeded plans: for each programme's provincial
 * commission an admin, a reviewer and a viewer, and a reviewer for every city health commission of that
 * province.
 * Addresses are under example.org (nobody receives them). Passwords are random per BANGFU_HOME: each
 * is an HMAC of the account's email under a secret made once and kept in the home, so an account the
 * seeds add later gets a password too and existing ones never change.
 */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { Institution, Programme } from '../domain/model.ts';
import type { StaffRole } from '../domain/staff.ts';
import { planSeeds } from '../use-cases/load-seeds.ts';
import { secretInHome } from './home-secrets.ts';
import type { StaffAccount } from './oidc-provider.ts';
import { readSeedFiles } from './seed-files.ts';

export const DEMO_STAFF_DOMAIN = 'staff.bangfu.example.org';

export interface DemoStaffSeeds {
  institutions: readonly Institution[];
  programmes: readonly Pick<Programme, 'id' | 'province' | 'provincialCommissionId'>[];
}

const ROLE_LABELS: Record<StaffRole, string> = { admin: '管理员', reviewer: '审核员', viewer: '查看员' };

/** Who the demo accounts are, in seed order; without passwords. */
export function demoStaffPlan(seeds: DemoStaffSeeds): Omit<StaffAccount, 'password'>[] {
  const byId = new Map(seeds.institutions.map((i) => [i.id, i]));
  const accounts = new Map<string, Omit<StaffAccount, 'password'>>();
  const add = (commission: Institution, role: StaffRole) => {
    const email = `${commission.id}.${role}@${DEMO_STAFF_DOMAIN}`;
    accounts.set(email, {
      email,
      name: `演示${ROLE_LABELS[role]}（${commission.name}）`,
      commissionId: commission.id,
      role,
    });
  };
  for (const programme of seeds.programmes) {
    const provincial = byId.get(programme.provincialCommissionId);
    if (provincial?.type !== 'provincial-commission')
      throw new RangeError(`programme ${programme.id} names no provincial commission`);
    add(provincial, 'admin');
    // The province reviews what the city commissions forward (Fujian §三(一)–(二)).
    add(provincial, 'reviewer');
    add(provincial, 'viewer');
    for (const city of seeds.institutions) {
      if (city.type === 'city-health-commission' && city.place.province === programme.province)
        add(city, 'reviewer');
    }
  }
  return [...accounts.values()];
}

/** The demo accounts with this home's passwords; from the shipped seeds unless others are given. */
export async function demoStaffAccounts(home: string, seeds?: DemoStaffSeeds): Promise<StaffAccount[]> {
  const source = seeds ?? shippedSeeds(await readSeedFiles());
  const secret = await secretInHome(join(home, 'oidc', 'demo-staff-secret'), 32);
  return demoStaffPlan(source).map((account) => ({
    ...account,
    password: createHmac('sha256', secret).update(account.email).digest('base64url').slice(0, 16),
  }));
}

function shippedSeeds(input: Awaited<ReturnType<typeof readSeedFiles>>): DemoStaffSeeds {
  const planned = planSeeds(input);
  return { institutions: planned.institutions, programmes: planned.programmes.map((p) => p.programme) };
}
