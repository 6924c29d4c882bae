// The DGI document: pure code (no I/O, no Temporal) that activities, the API and the CLI call.
export { validateDocument, type DgiDocument, type ValidationResult } from './validate-document.js';
export { DocumentSchema, type DocumentInput, type ParsedDocument } from './schema/document.js';
export { reconcileTotals } from './totals.js';
export { computeCufe, cufeCheckDigit, parseCufe, generateSecurityCode, type CufeFields } from './cufe.js';
export { computeRucDv, checkRucDv, type RucType } from './ruc-check-digit.js';
export { buildQrUrl } from './qr.js';
export { writeCanonicalRfe, writeRfeDocument } from './xml/write-rfe.js';
export { readRfe, type ReadRfeResult } from './xml/read-rfe.js';
export type { DocumentIssue } from './issues.js';
export { FORMAT_PROFILE } from './format-profile.js';
