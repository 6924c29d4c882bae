import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { buildQrUrl, writeCanonicalRfe, type DgiDocument } from '../../domain/dgi-document/index.js';
import { assembleSignedRfe, signCanonicalRfe } from '../../domain/signing/sign-rfe.js';
import { testCertificate } from './test-certificate.js';

export const EXAMPLES_DIR = join(PROJECT_ROOT, 'docs', 'examples');
export const SHARED_DIR = resolve(PROJECT_ROOT, '..', 'shared');

/** The DGI's schemas (xmllint-compatible copy), read where they are published: never copied here. */
export function dgiSchemaDir(): string {
  const dir = process.env.FEPA_DGI_SCHEMA_DIR ?? join(SHARED_DIR, 'dgi-xsd', 'xmllint');
  if (!existsSync(join(dir, 'FE_v1.00.xsd'))) {
    throw new Error(
      `DGI schemas not found in ${dir}: set FEPA_DGI_SCHEMA_DIR to the folder holding FE_v1.00.xsd`,
    );
  }
  return dir;
}

export async function exampleFiles(): Promise<string[]> {
  return (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.json')).sort();
}

export async function loadExample(name: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(join(EXAMPLES_DIR, name), 'utf8')) as Record<string, any>;
}

/** Signs with the throw-away test key (the schema requires a Signature) and adds a QR. */
export function signForTests(document: DgiDocument): { xml: string; digestValue: string } {
  const canonical = writeCanonicalRfe(document);
  const { signature, digestValue } = signCanonicalRfe(canonical, testCertificate());
  const qr = buildQrUrl({ cufe: document.dId, iAmb: document.gDGen.iAmb, digestValue, key: 'test-qr-key' });
  return { xml: assembleSignedRfe(canonical, signature, qr), digestValue };
}

/** A fixed dSeg, so documents (and their CUFEs and digests) are reproducible in tests. */
export const fixedSecurityCode = () => '123456789';
