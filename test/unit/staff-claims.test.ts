import { describe, expect, it } from 'vitest';
import {
  StaffIdentityRejectedError,
  staffGroups,
  staffIdentityFromClaims,
} from '../../functions/adapters/staff-claims.ts';

const claims = (groups: unknown, extra: Record<string, unknown> = {}) => ({
  sub: '5f2c3d1e-0000-4000-8000-000000000001',
  email: 'staff@example.org',
  name: '张三',
  'cognito:groups': groups,
  ...extra,
});

describe('staff identity from ID token claims', () => {
  it('reads the commission and role from the Cognito groups', () => {
    expect(
      staffIdentityFromClaims(claims(['role:reviewer', 'commission:fj-xiamen-health-commission'])),
    ).toEqual({
      subject: '5f2c3d1e-0000-4000-8000-000000000001',
      email: 'staff@example.org',
      name: '张三',
      commissionId: 'fj-xiamen-health-commission',
      role: 'reviewer',
    });
  });

  it('writes the groups it reads', () => {
    const identity = staffIdentityFromClaims(claims(staffGroups('js-provincial-commission', 'admin')));
    expect([identity.commissionId, identity.role]).toEqual(['js-provincial-commission', 'admin']);
  });

  it('ignores groups of other purposes and falls back to the email for a missing name', () => {
    const identity = staffIdentityFromClaims({
      ...claims(['us-east-1_pool_Google', 'commission:fj-provincial-commission', 'role:viewer']),
      name: undefined,
    });
    expect(identity.name).toBe('staff@example.org');
    expect(identity.role).toBe('viewer');
  });

  it.each([
    ['no groups claim', undefined, 'no-commission'],
    ['a role but no commission', ['role:admin'], 'no-commission'],
    ['an empty commission', ['commission:', 'role:admin'], 'no-commission'],
    ['two commissions', ['commission:a', 'commission:b', 'role:admin'], 'several-commissions'],
    ['a commission but no role', ['commission:fj-provincial-commission'], 'no-role'],
    ['an unknown role', ['commission:fj-provincial-commission', 'role:superuser'], 'unknown-role'],
    ['two roles', ['commission:fj-provincial-commission', 'role:viewer', 'role:admin'], 'several-roles'],
    ['a groups claim that is not a list', 'commission:x role:admin', 'no-commission'],
  ])('refuses %s', (_case, groups, problem) => {
    let refused: unknown;
    try {
      staffIdentityFromClaims(claims(groups));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(StaffIdentityRejectedError);
    expect(refused).toMatchObject({ problem, status: 403 });
    expect((refused as Error).message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses an identity without an email', () => {
    expect(() =>
      staffIdentityFromClaims(claims(staffGroups('fj-provincial-commission', 'admin'), { email: undefined })),
    ).toThrow(expect.objectContaining({ problem: 'no-email' }));
  });
});
