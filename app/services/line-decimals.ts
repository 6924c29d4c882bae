import { LINE_DECIMALS, type LineDecimals } from '../../domain/dgi-document/rounding.js';
import { takeSideField } from './side-field.js';
import type { DocumentIssue } from '../../domain/dgi-document/index.js';

/**
 * A document request's own `lineDecimals` (2 or 6, the seller's rounding; rounding.ts), taken out of it before the
 * DGI document is validated: it travels beside the document, like the ERP block, never into the signed XML.
 */
export function splitLineDecimals(request: unknown): {
  document: unknown;
  lineDecimals?: LineDecimals;
  issues: DocumentIssue[];
} {
  const side = takeSideField(request, 'lineDecimals');
  if (!side.present) return { document: request, issues: [] };
  const { document, value } = side;
  if (LINE_DECIMALS.includes(value as LineDecimals))
    return { document, lineDecimals: value as LineDecimals, issues: [] };
  return {
    document,
    issues: [
      {
        path: 'lineDecimals',
        rule: 'one-of',
        message: 'must be 2 (item amounts rounded per line) or 6',
      },
    ],
  };
}
