import { takeSideField } from './side-field.js';
import { z } from 'zod';
import type { ErpReference } from '../../common/erp-reference.js';
import type { DocumentIssue } from '../../domain/dgi-document/index.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/** The `erp` block of a document request (common/erp-reference.ts), validated on its own: it is not signed. */
export const ErpReferenceSchema = z
  .strictObject({
    uniqueCode: text(100)
      .regex(/^[\x21-\x7e]+$/, 'visible ASCII, no spaces')
      .optional()
      .describe('Unique per company: a second document with the same code is refused (409)'),
    documentCode: text(100).optional(),
    user: text(100).optional(),
    responsibleEmail: z.email().max(100).optional(),
    integration: text(100).optional(),
    free: z.array(z.string().max(250)).max(10).optional().describe('Up to ten free fields'),
  })
  .describe("The ERP's own references: outside the signed XML, returned wherever the document appears");

/**
 * Splits a document request into the DGI document and its ERP references, with the issues of the latter
 * (path `erp.…`, rule), so they are reported with the document's own.
 */
export function splitErpReference(request: unknown): {
  document: unknown;
  erp?: ErpReference;
  issues: DocumentIssue[];
} {
  const side = takeSideField(request, 'erp');
  if (!side.present) return { document: request, issues: [] };
  const { document } = side;
  const parsed = ErpReferenceSchema.safeParse(side.value);
  if (parsed.success) return { document, erp: parsed.data as ErpReference, issues: [] };
  return {
    document,
    issues: parsed.error.issues.map((issue) => ({
      path: ['erp', ...issue.path.map(String)].join('.'),
      rule: issue.code,
      message: issue.message,
    })),
  };
}
