import assert from 'node:assert/strict';
import { tempDir } from '../../helpers/temp-dir.js';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import {
  buildQrUrl,
  readRfe,
  validateDocument,
  writeCanonicalRfe,
} from '../../../domain/dgi-document/index.js';
import { checkAgainstDgiSchema } from '../../../platform/xsd-check/xmllint-schema-check.js';
import {
  dgiSchemaDir,
  exampleFiles,
  fixedSecurityCode,
  loadExample,
  SHARED_DIR,
  signForTests,
} from '../../helpers/dgi-fixtures.js';

const run = promisify(execFile);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** The digest vectors of spec §15 (DigestValue of the canonical rFE without Signature and gNoFirm). */
const SPEC_DIGESTS = {
  'invoice-spec-example.json': {
    cufe: 'FE0120000155123456-2-2023-9500002025031000000000010010124829135707',
    digest: 'tnknHlCgPfp7ZEI5u5GNoCO8RPIMJBAfOO1hj7XNwww=',
  },
  'debit-note-spec-example.json': {
    cufe: 'FE0520000155123456-2-2023-9500002025031200000000010010127391045620',
    digest: 'odq5SE2eM6dLiW/0x1nrKg+IiEqUkkYuUle/wH6G5Go=',
  },
} as const;

/** Examples that use codes added after the 2019 schema copy (FORMAT_PROFILE.acceptPost2025Codes). */
const NEWER_THAN_SCHEMA: Record<string, Array<{ field: string; value: string }>> = {
  'foreign-operation-invoice.json': [
    { field: 'iDoc', value: '10' },
    { field: 'iNatOp', value: '04' },
    { field: 'iFormaPago', value: '09' },
  ],
};

/** A copy of the 2019 schema set (in a temporary folder) with `codes` added: a "current" schema. */
async function schemaWithCodes(workDir: string, codes: Array<{ field: string; value: string }>) {
  const dir = await mkdtemp(join(workDir, 'schema-'));
  await cp(dgiSchemaDir(), dir, { recursive: true });
  const file = join(dir, 'FE_v1.00.xsd');
  let xsd = await readFile(file, 'utf8');
  for (const { field, value } of codes) {
    const at = xsd.indexOf('<xs:enumeration', xsd.indexOf(`<xs:element name="${field}"`));
    xsd = `${xsd.slice(0, at)}<xs:enumeration value="${value}"/>${xsd.slice(at)}`;
  }
  await writeFile(file, xsd);
  return dir;
}

describe('examples', async () => {
  const files = await exampleFiles();
  const workDir = await tempDir('fepa-examples-');

  it('include every kind the README promises', () => {
    for (const expected of [
      'invoice-several-rates-and-discounts.json',
      'invoice-final-consumer.json',
      'export-invoice.json',
      'credit-note.json',
      'debit-note-spec-example.json',
      'generic-debit-note.json',
      'contingency-invoice.json',
      'invoice-pos-6-decimals.json',
      'invoice-tax-inclusive-pos.json',
      'invoice-withholding.json',
      'invoice-installments.json',
      'import-invoice.json',
      'free-zone-invoice.json',
      'reimbursement-invoice.json',
      'foreign-operation-invoice.json',
    ]) {
      assert.ok(files.includes(expected), `missing example ${expected}`);
    }
  });

  for (const file of files.filter((f) => !(f in NEWER_THAN_SCHEMA))) {
    it(`${file} validates, builds, signs and passes xmllint against the official DGI schema`, async () => {
      const result = validateDocument(await loadExample(file), { securityCode: fixedSecurityCode });
      assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues, null, 2));
      const { xml } = signForTests(result.document);
      const path = join(workDir, file.replace('.json', '.xml'));
      await writeFile(path, xml);
      const { stderr } = await run('xmllint', [
        '--noout',
        '--schema',
        join(dgiSchemaDir(), 'FE_v1.00.xsd'),
        path,
      ]);
      assert.match(stderr, /validates/);
    });
  }

  for (const [file, codes] of Object.entries(NEWER_THAN_SCHEMA)) {
    it(`${file} uses codes newer than the 2019 schema: the check says so, and a current schema accepts it`, async () => {
      const result = validateDocument(await loadExample(file), { securityCode: fixedSecurityCode });
      assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues, null, 2));
      const { xml } = signForTests(result.document);
      const old = await checkAgainstDgiSchema(xml, dgiSchemaDir());
      assert.equal(old.ok, false);
      assert.deepEqual(old.ok ? [] : old.schemaOlderThanCodes, codes);
      assert.match(
        old.ok ? '' : old.errors[0]!,
        /^schema older than the document's codes: iDoc 10, iNatOp 04, iFormaPago 09 not in /,
      );
      assert.deepEqual(await checkAgainstDgiSchema(xml, await schemaWithCodes(workDir, codes)), { ok: true });
    });
  }

  for (const file of files) {
    it(`${file} round-trips: JSON → XML → model → XML gives identical bytes`, async () => {
      const result = validateDocument(await loadExample(file), { securityCode: fixedSecurityCode });
      assert.ok(result.ok);
      const first = writeCanonicalRfe(result.document);
      const { xml } = signForTests(result.document);
      const read = readRfe(xml);
      assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.issues));
      assert.equal(read.signed, true);
      assert.match(
        read.qrCode ?? '',
        /^https:\/\/dgi-fep-test\.mef\.gob\.pa:40001\/Consultas\/FacturasPorQR\?chFE=FE/,
      );
      const again = validateDocument(read.document);
      assert.ok(again.ok, again.ok ? '' : JSON.stringify(again.issues));
      assert.equal(writeCanonicalRfe(again.document), first);
    });
  }

  for (const [file, vector] of Object.entries(SPEC_DIGESTS)) {
    it(`reproduces the spec's CUFE and DigestValue for ${file}`, async () => {
      const result = validateDocument(await loadExample(file));
      assert.ok(result.ok);
      assert.equal(result.document.dId, vector.cufe);
      assert.equal(sha256(writeCanonicalRfe(result.document)), vector.digest);
    });
  }

  it('builds the same bytes for the same input, every time', async () => {
    const input = await loadExample('invoice-several-rates-and-discounts.json');
    const build = () => {
      const r = validateDocument(structuredClone(input), { securityCode: fixedSecurityCode });
      assert.ok(r.ok);
      return writeCanonicalRfe(r.document);
    };
    assert.equal(build(), build());
  });

  it("reads the spec's pretty-printed signed samples and rebuilds their exact digests", async () => {
    const spec = await readFile(join(SHARED_DIR, 'spec', 'dgi-fe.md'), 'utf8');
    const samples = [...spec.matchAll(/```xml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(samples.length >= 2, 'the spec has its two signed samples');
    const digests = samples.slice(0, 2).map((xml) => {
      const read = readRfe(xml);
      assert.ok(read.ok, read.ok ? '' : JSON.stringify(read.issues));
      const complete = validateDocument(read.document);
      assert.ok(complete.ok, complete.ok ? '' : JSON.stringify(complete.issues));
      return sha256(writeCanonicalRfe(complete.document));
    });
    assert.deepEqual(digests, [
      SPEC_DIGESTS['invoice-spec-example.json'].digest,
      SPEC_DIGESTS['debit-note-spec-example.json'].digest,
    ]);
  });

  it("builds the spec's QR URL and JWT byte for byte (spec §15 construction vector)", () => {
    const url = buildQrUrl({
      cufe: SPEC_DIGESTS['invoice-spec-example.json'].cufe,
      iAmb: '2',
      digestValue: SPEC_DIGESTS['invoice-spec-example.json'].digest,
      key: 'CLAVE-QR-DE-EJEMPLO-NO-REAL',
    });
    assert.equal(
      url,
      'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=FE0120000155123456-2-2023-9500002025031000000000010010124829135707&iAmb=2&digestValue=tnknHlCgPfp7ZEI5u5GNoCO8RPIMJBAfOO1hj7XNwww=&jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjaEZFIjoiRkUwMTIwMDAwMTU1MTIzNDU2LTItMjAyMy05NTAwMDAyMDI1MDMxMDAwMDAwMDAwMDEwMDEwMTI0ODI5MTM1NzA3IiwiaUFtYiI6IjIiLCJkaWdlc3RWYWx1ZSI6InRua25IbENnUGZwN1pFSTV1NUdOb0NPOFJQSU1KQkFmT08xaGo3WE53d3c9In0.1IfEwTKRNY9Mebgl8ULEiPehpowQRbdc-Pxh1VM4xhs',
    );
  });

  it('offers the schema check in the product, and it names what is wrong', async () => {
    const result = validateDocument(await loadExample('credit-note.json'), {
      securityCode: fixedSecurityCode,
    });
    assert.ok(result.ok);
    const { xml } = signForTests(result.document);
    assert.deepEqual(await checkAgainstDgiSchema(xml, dgiSchemaDir()), { ok: true });
    const broken = xml.replace(/<iTipoOp>1<\/iTipoOp>/, '');
    const check = await checkAgainstDgiSchema(broken, dgiSchemaDir());
    assert.equal(check.ok, false);
    assert.match(check.ok ? '' : check.errors.join('\n'), /iDest.*iTipoOp|iTipoOp/);
  });
});
