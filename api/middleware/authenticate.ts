import type { NextFunction, Request, Response } from 'express';
import { roleAllows, type Role } from '../../platform/access/roles.js';
import type { ApiKeyService } from '../../app/services/api-key-service.js';
import { companyNotFound, HttpProblem } from '../problem.js';

const REASONS = {
  missing: 'Send your API key as `Authorization: Bearer <key>`.',
  unknown: 'The API key is not valid.',
  revoked: 'The API key was revoked.',
  expired: 'The API key has expired.',
} as const;

function unauthorized(reason: keyof typeof REASONS): HttpProblem {
  return new HttpProblem({
    type: 'unauthorized',
    title: 'Authentication required',
    status: 401,
    detail: REASONS[reason],
    headers: { 'WWW-Authenticate': 'Bearer realm="fepa"' },
  });
}

/** Resolves the caller from `Authorization: Bearer <key>`; without a valid key the request stops with a 401. */
export function authenticate(keys: ApiKeyService) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer ([\x21-\x7e]{1,200})$/i.exec(header) : null;
    if (!match) throw unauthorized('missing');
    const result = await keys.authenticate(match[1]!);
    if (!result.ok) throw unauthorized(result.reason);
    req.caller = result.caller;
    req.log = req.log.child({ keyPrefix: result.caller.keyPrefix, companyId: result.caller.companyId });
    next();
  };
}

/** A key below the route's role gets a 403 that names the role needed. */
export function authorize(need: Role) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!roleAllows(req.caller!.role, need)) {
      throw new HttpProblem({
        type: 'forbidden',
        title: 'Role too low',
        status: 403,
        detail: `This needs an API key with role ${need} (or higher); this key is ${req.caller!.role}.`,
        requiredRole: need,
      });
    }
    next();
  };
}

/**
 * A key sees only its own company: any other company id in the path answers 404, exactly as a company that
 * does not exist, so ids of other tenants cannot even be probed.
 */
export function scopeToCallerCompany(req: Request, _res: Response, next: NextFunction): void {
  const companyId = req.params.companyId as string | undefined;
  if (companyId !== undefined && companyId !== req.caller!.companyId) throw companyNotFound(companyId);
  next();
}
