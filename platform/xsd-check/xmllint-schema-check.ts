import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';

import { codesUnknownToSchema, type CodeUnknownToSchema } from './schema-code-lists.js';

/**
 * `schemaOlderThanCodes` lists the codes the document uses that the schema does not know yet: the schema
 * predates them (FORMAT_PROFILE.acceptPost2025Codes), so update the schema rather than the document.
 */
export type SchemaCheckResult =
  { ok: true } | { ok: false; errors: string[]; schemaOlderThanCodes: CodeUnknownToSchema[] };

export const RFE_SCHEMA_FILE = 'FE_v1.00.xsd';

/**
 * Validates a signed `rFE` against the DGI's schema with libxml2's `xmllint` (Debian libxml2-utils).
 * `schemaDir` holds FE_v1.00.xsd and its includes; the DGI's published set needs the xmllint-compatible
 * rewrite of its .NET-only patterns (see the schema package's README).
 */
export async function checkAgainstDgiSchema(
  signedXml: string,
  schemaDir: string,
): Promise<SchemaCheckResult> {
  const schema = join(schemaDir, RFE_SCHEMA_FILE);
  try {
    await access(schema);
  } catch {
    throw new Error(
      `DGI schema not found at ${schema}; set FEPA_DGI_SCHEMA_DIR to the folder holding ${RFE_SCHEMA_FILE}`,
    );
  }
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const child = spawn('xmllint', ['--noout', '--nonet', '--schema', schema, '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', (e) =>
      reject(
        new Error(`cannot run xmllint (install Debian package libxml2-utils): ${e.message}`, { cause: e }),
      ),
    );
    child.on('close', (exitCode) => resolve({ code: exitCode ?? 1, stderr: err }));
    child.stdin.end(signedXml);
  });
  if (code === 0) return { ok: true };
  const errors = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.endsWith('fails to validate'));
  const schemaOlderThanCodes = await codesUnknownToSchema(signedXml, schema);
  if (schemaOlderThanCodes.length > 0) errors.unshift(describeOlderSchema(schemaOlderThanCodes, schema));
  return {
    ok: false,
    errors: errors.length ? errors : [`xmllint exited with ${code}`],
    schemaOlderThanCodes,
  };
}

export function describeOlderSchema(codes: CodeUnknownToSchema[], schema: string): string {
  const list = codes.map((c) => `${c.field} ${c.value}`).join(', ');
  return (
    `schema older than the document's codes: ${list} not in ${schema} ` +
    `(codes added by the DGI after that schema; update FEPA_DGI_SCHEMA_DIR to a current schema)`
  );
}
