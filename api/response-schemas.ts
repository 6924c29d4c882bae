import { z } from 'zod';
import { ErpReferenceSchema } from '../app/services/erp-reference.js';
import { ROLES } from '../platform/access/roles.js';

// What the API answers, for the OpenAPI document. Requests are validated by their own schemas in the routes.

export const ProblemSchema = z
  .looseObject({
    type: z.string().describe('A URI under https://fepa.dev/problems/ naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    issues: z
      .array(z.object({ path: z.string(), rule: z.string(), message: z.string() }))
      .optional()
      .describe('For validation problems: every issue, with the path of the field and the rule it breaks'),
  })
  .meta({ id: 'Problem' });

export const CompanySchema = z
  .object({
    id: z.uuid(),
    rucType: z.enum(['1', '2']),
    ruc: z.string(),
    dv: z.string(),
    name: z.string(),
  })
  .meta({ id: 'Company' });

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    companyId: z.uuid(),
    prefix: z.string().describe('The visible part of the key (`fepa_<prefix>_…`)'),
    role: z.enum(ROLES),
    name: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

const Links = z.record(z.string(), z.string());

export const DocumentAcceptedSchema = z
  .object({
    id: z.uuid(),
    workflowId: z.string(),
    status: z.enum(['received', 'existing']),
    links: Links,
  })
  .meta({ id: 'DocumentAccepted' });

export const DocumentSummarySchema = z
  .object({
    id: z.uuid(),
    workflowId: z.string(),
    status: z.string(),
    environment: z.string(),
    docType: z.string(),
    branch: z.string(),
    pointOfSale: z.string(),
    number: z.string(),
    cufe: z.string().nullable(),
    total: z.string().nullable(),
    protocol: z.string().nullable(),
    authorizedAt: z.string().nullable(),
    pac: z.string().nullable(),
    lastPacCode: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    erp: ErpReferenceSchema.nullable().describe("The ERP's own references, as sent (null: none)"),
  })
  .meta({ id: 'DocumentSummary' });

export const DocumentDetailSchema = DocumentSummarySchema.extend({
  state: z
    .looseObject({ status: z.string() })
    .nullable()
    .describe(
      'The live state from the document workflow (null once the workflow is gone, or when it cannot answer now)',
    ),
  stateUnavailable: z
    .string()
    .optional()
    .describe('Why the live state is missing now (status and the rest come from PostgreSQL)'),
  links: Links,
}).meta({ id: 'DocumentDetail' });

export const DocumentListSchema = z
  .object({ items: z.array(DocumentSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'DocumentList' });

export const ActionResultSchema = z
  .object({ id: z.uuid(), status: z.string(), state: z.looseObject({ status: z.string() }) })
  .meta({ id: 'ActionResult' });

export const CertificateStatusSchema = z
  .looseObject({
    status: z.enum(['ready', 'expiring', 'expired', 'missing']),
    notAfter: z.string().optional(),
    daysLeft: z.number().optional(),
  })
  .meta({ id: 'CertificateStatus' });

export const PacSettingsSchema = z
  .looseObject({ pac: z.enum(['sandbox', 'aludra', 'edoc', 'hka']), autoSubmit: z.boolean() })
  .meta({ id: 'PacSettings' });

export const DeliveryStartedSchema = z
  .object({ workflowId: z.string(), address: z.string(), status: z.literal('sending') })
  .meta({ id: 'DeliveryStarted' });
