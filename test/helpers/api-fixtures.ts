import { z } from 'zod';
import { ROLES, type Role } from '../../platform/access/roles.js';
import type { AnyRoute } from '../../api/route-definition.js';

/** A concrete path for a route: its `:params` from `values`. */
export function concretePath(route: AnyRoute, values: Record<string, string>): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${route.path}`);
    return value;
  });
}

/** Roles strictly below the one a route needs. */
export function rolesBelow(need: Role): Role[] {
  return ROLES.slice(0, ROLES.indexOf(need));
}

export const ProblemBody = z.object({
  type: z.string().startsWith('https://fepa.dev/problems/'),
  title: z.string().min(1),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
});
