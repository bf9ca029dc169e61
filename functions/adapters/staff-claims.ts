/**
 * How a staff member's commission and role travel in an ID token: the contract between the identity
 * provider (Cognito on AWS, the embedded provider locally) and the console.
 *
 * Both are Cognito groups, read from the `cognito:groups` claim: `commission:<institution id>` and
 * `role:<viewer|reviewer|admin>`. Groups rather than custom attributes (`custom:commission`), because
 * in Cognito:
 * - only an administrator with IAM rights changes group membership (AdminAddUserToGroup); custom
 *   attributes are writable by the signed-in user through UpdateUserAttributes unless every app
 *   client's write permissions are narrowed, so a mistake there would let staff raise their own role;
 * - groups need no user-pool schema: a custom attribute is fixed when the pool is created (it can be
 *   neither renamed nor removed), a group is created or deleted like any other resource;
 * - "who is an admin of 福建省卫健委" is ListUsersInGroup; ListUsers cannot filter on custom attributes;
 * - `cognito:groups` is in every ID token without any app-client read-attribute setting.
 * The price is that a list can hold two commissions or two roles: such an identity is refused.
 */
import { isStaffRole, type StaffIdentity, type StaffRole } from '../domain/staff.ts';

/** What the console asks for; the Cognito app client allows the same three. */
export const STAFF_SCOPES = 'openid email profile';
export const GROUPS_CLAIM = 'cognito:groups';
export const COMMISSION_GROUP_PREFIX = 'commission:';
export const ROLE_GROUP_PREFIX = 'role:';

/** The Cognito groups (and local `cognito:groups` claim) of a staff member. */
export function staffGroups(commissionId: string, role: StaffRole): string[] {
  return [`${COMMISSION_GROUP_PREFIX}${commissionId}`, `${ROLE_GROUP_PREFIX}${role}`];
}

export type StaffIdentityProblem =
  | 'no-email'
  | 'no-commission'
  | 'several-commissions'
  | 'no-role'
  | 'unknown-role'
  | 'several-roles';

const PROBLEM_MESSAGES: Record<StaffIdentityProblem, string> = {
  'no-email': '您的账号缺少邮箱，无法登录工作台。',
  'no-commission': '您的账号尚未关联卫健委，无法登录工作台。',
  'several-commissions': '您的账号关联了多个卫健委，无法确定所属单位。',
  'no-role': '您的账号尚未分配工作台角色，无法登录工作台。',
  'unknown-role': '您的账号角色无法识别，无法登录工作台。',
  'several-roles': '您的账号分配了多个工作台角色，无法确定权限。',
};

/** A signed identity the console refuses: it says which claim is wrong; `message` is for the user. */
export class StaffIdentityRejectedError extends Error {
  override readonly name = 'StaffIdentityRejectedError';
  readonly status = 403;
  constructor(
    readonly problem: StaffIdentityProblem,
    /** For logs: the subject and what was found, never shown to the user. */
    readonly detail: string,
  ) {
    super(PROBLEM_MESSAGES[problem]);
  }
}

/** The staff identity in verified ID token claims; throws StaffIdentityRejectedError. */
export function staffIdentityFromClaims(claims: Readonly<Record<string, unknown>>): StaffIdentity {
  const subject = String(claims.sub ?? '');
  const email = typeof claims.email === 'string' ? claims.email : '';
  if (!email) throw new StaffIdentityRejectedError('no-email', `sub ${subject}`);
  const rawGroups = claims[GROUPS_CLAIM];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === 'string') : [];
  const valuesOf = (prefix: string) =>
    groups.filter((g) => g.startsWith(prefix)).map((g) => g.slice(prefix.length));

  const commissions = valuesOf(COMMISSION_GROUP_PREFIX).filter(Boolean);
  const seen = `sub ${subject}, groups ${JSON.stringify(groups)}`;
  if (commissions.length === 0) throw new StaffIdentityRejectedError('no-commission', seen);
  if (commissions.length > 1) throw new StaffIdentityRejectedError('several-commissions', seen);
  const roles = valuesOf(ROLE_GROUP_PREFIX);
  if (roles.length === 0) throw new StaffIdentityRejectedError('no-role', seen);
  if (roles.length > 1) throw new StaffIdentityRejectedError('several-roles', seen);
  const [commissionId] = commissions as [string];
  const [role] = roles as [string];
  if (!isStaffRole(role)) throw new StaffIdentityRejectedError('unknown-role', seen);

  const name = typeof claims.name === 'string' && claims.name ? claims.name : email;
  return { subject, email, name, commissionId, role };
}
