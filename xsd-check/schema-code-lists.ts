import { readFile } from 'node:fs/promises';

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

/** The enumerated values of the inline simpleType of element `name` in an XSD (a flat text scan). */
export function enumeratedValues(xsd: string, name: string): string[] {
  const start = xsd.indexOf(`<xs:element name="${name}"`);
  if (start < 0) return [];
  const end = xsd.indexOf('</xs:simpleType>', start);
  if (end < 0) return [];
  return [...xsd.slice(start, end).matchAll(/<xs:enumeration\s+value="([^"]*)"/g)].map((m) => m[1]!);
}

/** Codes the document carries that the schema in `schemaFile` does not list. */
export async function codesUnknownToSchema(xml: string, schemaFile: string): Promise<CodeUnknownToSchema[]> {
  const xsd = await readFile(schemaFile, 'utf8');
  const unknown: CodeUnknownToSchema[] = [];
  for (const field of CODE_FIELDS_NEWER_THAN_SCHEMA) {
    const listed = new Set(enumeratedValues(xsd, field));
    if (listed.size === 0) continue;
    for (const m of xml.matchAll(new RegExp(`<${field}>([^<]*)</${field}>`, 'g'))) {
      const value = m[1]!;
      if (!listed.has(value) && !unknown.some((u) => u.field === field && u.value === value))
        unknown.push({ field, value });
    }
  }
  return unknown;
}
