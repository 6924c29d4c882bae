import { checkBusinessRules } from './business-rules.js';
import { computeCufe, generateSecurityCode } from './cufe.js';
import { FORMAT_PROFILE } from './format-profile.js';
import { issueAt, type DocumentIssue } from './issues.js';
import { DocumentSchema, type ParsedDocument } from './schema/document.js';
import { toDocumentIssues } from './schema-issues.js';
import { reconcileTotals } from './totals.js';
import type { LineDecimals } from './rounding.js';

/** A document ready for XML: normalised, every computed field present, its CUFE in `dId`. */
export type DgiDocument = ParsedDocument & { dVerForm: typeof FORMAT_PROFILE.formatVersion; dId: string };

export type ValidationResult = { ok: true; document: DgiDocument } | { ok: false; issues: DocumentIssue[] };

export interface ValidateOptions {
  /** Source of `dSeg` when the document has none (tests inject a fixed one). */
  securityCode?: () => string;
  /** Decimals of the item amounts fepa computes (rounding.ts): 6 unless the seller rounds per line (2). */
  lineDecimals?: LineDecimals | undefined;
}

/**
 * Validates an integrator's document and completes it: schema (every field), cross-field rules, check
 * digits, arithmetic. On success the totals are filled in, `dSeg` generated and the CUFE computed.
 * On failure, every issue found, each with its path, DGI field id, rule and value.
 */
export function validateDocument(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const parsed = DocumentSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: toDocumentIssues(parsed.error.issues, input) };

  // Rules first: reconcileTotals completes the parsed document (zod's own copy) in place.
  const rules = checkBusinessRules(parsed.data);
  const { document: reconciled, issues: arithmetic } = reconcileTotals(parsed.data, {
    lineDecimals: options.lineDecimals,
  });
  const issues = [...rules, ...arithmetic];
  if (issues.length > 0) return { ok: false, issues };

  const completed = completeDocument(reconciled, options.securityCode ?? generateSecurityCode);
  if (parsed.data.dId !== undefined && parsed.data.dId !== completed.dId) {
    return {
      ok: false,
      issues: [
        issueAt(
          ['dId'],
          'cufe-mismatch',
          `does not match the document's fields; it should be ${completed.dId}`,
          parsed.data.dId,
        ),
      ],
    };
  }
  return { ok: true, document: completed };
}

/** Numbers the items, sets the format version and `dSeg`, and computes the CUFE. */
function completeDocument(doc: ParsedDocument, securityCode: () => string): DgiDocument {
  const gDGen = { ...doc.gDGen, dSeg: doc.gDGen.dSeg ?? securityCode() };
  const gItem = doc.gItem.map((item, i) => ({ ...item, dSecItem: item.dSecItem ?? String(i + 1) }));
  const emitter = gDGen.gEmis.gRucEmi;
  const dId = computeCufe({
    iDoc: gDGen.iDoc,
    dTipoRuc: emitter.dTipoRuc,
    dRuc: emitter.dRuc,
    dDV: emitter.dDV,
    dSucEm: gDGen.gEmis.dSucEm,
    issueDate: gDGen.dFechaEm.slice(0, 10).replaceAll('-', ''),
    dNroDF: gDGen.dNroDF,
    dPtoFacDF: gDGen.dPtoFacDF,
    iTpEmis: gDGen.iTpEmis,
    iAmb: gDGen.iAmb,
    dSeg: gDGen.dSeg,
  });
  // Key order matters for nothing but readability: the XML builder follows the schema's order.
  return { ...doc, dVerForm: FORMAT_PROFILE.formatVersion, dId, gDGen, gItem };
}
