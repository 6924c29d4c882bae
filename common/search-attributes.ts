import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * fepa's custom search attributes: how support finds a document in the Temporal UI.
 * One list feeds the dev server flags, the test server and `temporal operator search-attribute create`.
 * Never put buyer personal data or secrets here: search attributes are not encrypted.
 */
export const DocStatus = defineSearchAttributeKey('DocStatus', SearchAttributeType.KEYWORD);
export const EmitterRuc = defineSearchAttributeKey('EmitterRuc', SearchAttributeType.KEYWORD);
export const Cufe = defineSearchAttributeKey('Cufe', SearchAttributeType.KEYWORD);
export const DocType = defineSearchAttributeKey('DocType', SearchAttributeType.KEYWORD);
export const DocNumber = defineSearchAttributeKey('DocNumber', SearchAttributeType.KEYWORD);
export const Pac = defineSearchAttributeKey('Pac', SearchAttributeType.KEYWORD);
export const CompanyId = defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD);
export const NeedsPerson = defineSearchAttributeKey('NeedsPerson', SearchAttributeType.BOOL);
/** The contingency a document was issued under (and the contingency workflow's own id for it). */
export const Contingency = defineSearchAttributeKey('Contingency', SearchAttributeType.KEYWORD);

/** The integrator's own unique code of the document (its `erp.uniqueCode`). */
export const ErpCode = defineSearchAttributeKey('ErpCode', SearchAttributeType.KEYWORD);

/** A received document's supplier (the emitter's RUC of a document addressed to the company). */
export const SupplierRuc = defineSearchAttributeKey('SupplierRuc', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [
  DocStatus,
  EmitterRuc,
  Cufe,
  DocType,
  DocNumber,
  Pac,
  CompanyId,
  NeedsPerson,
  Contingency,
  ErpCode,
  SupplierRuc,
] as const;

const cliTypeNames: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
};

/** `Name=Type` pairs, the form `temporal server start-dev --search-attribute` takes. */
export function searchAttributeFlags(): string[] {
  return ALL_SEARCH_ATTRIBUTES.map((key) => `${key.name}=${cliTypeNames[key.type] ?? 'Keyword'}`);
}
