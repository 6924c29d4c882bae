import { z } from 'zod';
import { ROLES } from '../../platform/access/roles.js';
import type { ApiKeyService } from '../../app/services/api-key-service.js';
import {
  companyLineDecimals,
  findCompany,
  setCompanyLineDecimals,
  setMailSenderName,
} from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';
import { companyNotFound, HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';
import { ApiKeySchema, CompanySchema } from '../response-schemas.js';
import { invalidRequest } from '../validation.js';

const CreateKeyRequest = z.strictObject({
  name: z.string().min(1).max(100).describe('Who or what uses the key, e.g. "ERP production"'),
  role: z.enum(ROLES),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Omitted: the key does not expire (revoke it when it is no longer needed)'),
});

const DocumentSettingsRequest = z.strictObject({
  lineDecimals: z.union([z.literal(2), z.literal(6)]).nullable(),
});

const MailSenderRequest = z.strictObject({
  senderName: z
    .string()
    .trim()
    .min(2)
    .max(100)
    .regex(/^[^"<>\r\n]+$/, 'must not contain quotes, angle brackets or line breaks')
    .nullable()
    .describe("What receivers see as the sender of the company's e-mails; null: the company's name"),
});

/** The caller's company, and its API keys. Companies themselves are created with `fepa company create`. */
export function companyRoutes(deps: { sql: Sql; keys: ApiKeyService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/me',
      access: 'integrator',
      tag: 'Company',
      summary: 'Who this key is: its company and role',
      description:
        'The first call of an integration: it checks the key and gives the company id for every other path.',
      responses: {
        200: {
          description: 'The key and its company',
          schema: z.object({
            keyPrefix: z.string(),
            role: z.enum(ROLES),
            company: CompanySchema,
          }),
        },
      },
      async handle({ res, caller }) {
        const company = await findCompany(deps.sql, caller.companyId);
        res.json({ keyPrefix: caller.keyPrefix, role: caller.role, company });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId',
      access: 'integrator',
      tag: 'Company',
      summary: "The key's company",
      responses: { 200: { description: 'The company', schema: CompanySchema } },
      async handle({ res, params }) {
        const company = await findCompany(deps.sql, params.companyId!);
        if (!company) throw companyNotFound(params.companyId!);
        res.json(company);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/mail-sender',
      access: 'admin',
      tag: 'Company',
      summary: "The sender name of the company's e-mails to receivers",
      body: MailSenderRequest,
      example: { senderName: 'Facturación Empresa Ejemplo' },
      responses: { 204: { description: 'Saved' } },
      async handle({ res, params, body }) {
        if (!(await setMailSenderName(deps.sql, params.companyId!, body.senderName)))
          throw companyNotFound(params.companyId!);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/document-settings',
      access: 'admin',
      tag: 'Company',
      summary: "How fepa computes item amounts for this company (the seller's rounding)",
      description:
        "`lineDecimals`: 6 (as production POS invoices carry) or 2 (amounts rounded per line, as the DGI's 2019 " +
        "sample and POS systems that round tax per line do). Choose what the seller's POS prints; a document may " +
        'override it with its own `lineDecimals`. `null`: fepa\'s default, 6. docs/dgi-document.md, "Rounding".',
      body: DocumentSettingsRequest,
      example: { lineDecimals: 2 },
      responses: { 200: { description: 'Saved', schema: DocumentSettingsRequest } },
      async handle({ res, params, body }) {
        if (!(await setCompanyLineDecimals(deps.sql, params.companyId!, body.lineDecimals)))
          throw companyNotFound(params.companyId!);
        res.json({ lineDecimals: await companyLineDecimals(deps.sql, params.companyId!) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/document-settings',
      access: 'integrator',
      tag: 'Company',
      summary: 'How fepa computes item amounts for this company',
      responses: { 200: { description: 'The settings', schema: DocumentSettingsRequest } },
      async handle({ res, params }) {
        res.json({ lineDecimals: await companyLineDecimals(deps.sql, params.companyId!) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/keys',
      access: 'admin',
      tag: 'API keys',
      summary: 'Create an API key (shown once)',
      description: 'The answer is the only time the key is shown; fepa keeps a SHA-256 of it.',
      body: CreateKeyRequest,
      responses: {
        201: { description: 'The new key', schema: ApiKeySchema.extend({ key: z.string() }) },
      },
      async handle({ res, body, params }) {
        if (body.expiresAt && new Date(body.expiresAt) <= new Date()) {
          throw invalidRequest(
            [{ path: 'expiresAt', rule: 'future', message: 'must be in the future' }],
            'expiresAt is in the past.',
          );
        }
        const { key, record } = await deps.keys.create({
          companyId: params.companyId!,
          role: body.role,
          name: body.name,
          ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}),
        });
        res.status(201).json({ ...record, key });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/keys',
      access: 'admin',
      tag: 'API keys',
      summary: "The company's API keys (prefix only)",
      responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(ApiKeySchema) }) } },
      async handle({ res, params }) {
        res.json({ items: await deps.keys.list(params.companyId!) });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/companies/:companyId/keys/:keyId',
      access: 'admin',
      tag: 'API keys',
      summary: 'Revoke an API key',
      responses: { 204: { description: 'Revoked; the key stops working at once' } },
      async handle({ res, params }) {
        if (!(await deps.keys.revoke(params.companyId!, params.keyId!))) {
          throw new HttpProblem({
            type: 'not-found',
            title: 'Key not found',
            status: 404,
            detail: `There is no active key ${params.keyId} for this company.`,
          });
        }
        res.status(204).end();
      },
    }),
  ];
}
