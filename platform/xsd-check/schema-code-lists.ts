import { readFile } from 'node:fs/promises';
import { readElementEnumerations } from '../../domain/dgi-document/catalogs/xsd-enumerations.js';

/**
 * Fields whose code lists grew after the DGI's 2019 schema copy (FORMAT_PROFILE.acceptPost2025Codes):
 * a document that uses a newer code fails an older schema for that reason alone, which is the schema's
 * age, not a fault of the document.
 */
export const CODE_FIELDS_NEWER_THAN_SCHEMA = [
  'iDoc',
  'iNatOp',
  'iFormaPago',
  'dCodOTI',
  'dCodOTITotal',
] as const;

export interface CodeUnknownToSchema {
  field: string;
  value: string;
}

/** Codes the document carries that the schema in `schemaFile` does not list. */
export async function codesUnknownToSchema(xml: string, schemaFile: string): Promise<CodeUnknownToSchema[]> {
  const xsd = await readFile(schemaFile, 'utf8');
  const unknown: CodeUnknownToSchema[] = [];
  for (const field of CODE_FIELDS_NEWER_THAN_SCHEMA) {
    const listed = new Set(readElementEnumerations(xsd, field));
    if (listed.size === 0) continue;
    for (const m of xml.matchAll(new RegExp(`<${field}>([^<]*)</${field}>`, 'g'))) {
      const value = m[1]!;
      if (!listed.has(value) && !unknown.some((u) => u.field === field && u.value === value))
        unknown.push({ field, value });
    }
  }
  return unknown;
}
