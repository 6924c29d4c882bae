/** Roles of API keys, each allowed what the ones before it are, and more. */
export const ROLES = ['integrator', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a route needs: `public` (no key), or the lowest role that may call it. */
export type Access = 'public' | Role;

export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
