import { Router } from 'express';
import { z } from 'zod';
import { checkRucDv } from '../../dgi-document/ruc-check-digit.js';
import { ruc as rucPattern } from '../../dgi-document/schema/primitives.js';
import { createCompany, findCompany } from '../../storage/company-store.js';
import type { Sql } from '../../storage/database.js';
import { HttpProblem } from '../problem.js';
import { parseBody } from '../validation.js';

const CreateCompanyRequest = z.strictObject({
  rucType: z.enum(['1', '2']),
  ruc: rucPattern,
  dv: z.string().regex(/^[0-9]{2}$/, 'must be 2 digits'),
  name: z.string().min(1).max(200),
});

export function companyNotFound(companyId: string): HttpProblem {
  return new HttpProblem({
    type: 'not-found',
    title: 'Company not found',
    status: 404,
    detail: `There is no company ${companyId}.`,
  });
}

/** Companies (issuers): create one, read one. */
export function companyRoutes(deps: { sql: Sql }): Router {
  const router = Router();
  router.post('/v1/companies', async (req, res) => {
    const body = parseBody(CreateCompanyRequest, req.body);
    const dv = checkRucDv(body.ruc, body.rucType, body.dv);
    if (!dv.ok) {
      throw new HttpProblem({
        type: 'validation',
        title: 'The request is not valid',
        status: 400,
        detail: dv.reason,
        issues: [{ path: 'dv', rule: dv.expected ? 'check-digit' : 'ruc-format', message: dv.reason }],
      });
    }
    try {
      res.status(201).json(await createCompany(deps.sql, body));
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new HttpProblem({
          type: 'conflict',
          title: 'Company exists',
          status: 409,
          detail: `A company with RUC ${body.ruc} exists.`,
        });
      }
      throw err;
    }
  });
  router.get('/v1/companies/:companyId', async (req, res) => {
    const company = await findCompany(deps.sql, req.params.companyId);
    if (!company) throw companyNotFound(req.params.companyId);
    res.json(company);
  });
  return router;
}
