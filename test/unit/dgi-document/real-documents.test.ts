import assert from 'node:assert/strict';
import { tempDir } from '../../helpers/temp-dir.js';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { PROJECT_ROOT } from '../../../platform/config/settings.js';
import { validateDocument } from '../../../domain/dgi-document/index.js';
import { verifySignedRfe } from '../../../domain/signing/verify-rfe.js';
import { dgiSchemaDir, fixedSecurityCode, signForTests } from '../../helpers/dgi-fixtures.js';
import { xmlsecVerifies } from '../../helpers/independent-verifiers.js';
import { makeCertificate, makeKeyPair, makeP12 } from '../../helpers/p12-factory.js';
import { testCertificate } from '../../helpers/test-certificate.js';

/**
 * Documents shaped like invoices the DGI authorized in production (2025–2026): 6-decimal item amounts,
 * 2-decimal totals equal to the rounded sums of the unrounded lines, a branch code with letters and a
 * final consumer with the cédula 0-000-000. Each goes through validate → build → sign → xmllint →
 * verify with the published totals given, and with every computed amount left to fepa.
 */
const run = promisify(execFile);
const FEPA = join(PROJECT_ROOT, 'bin', 'fepa.js');
const REAL = [
  join(PROJECT_ROOT, 'docs', 'examples', 'invoice-pos-6-decimals.json'),
  join(PROJECT_ROOT, 'test', 'fixtures', 'documents', 'real', 'weighed-and-taxed.json'),
];
const TOTALS = ['dTotNeto', 'dTotITBMS', 'dTotGravado', 'dVTot', 'dTotRec', 'dVuelto', 'dVTotItems'] as const;

type Doc = Record<string, any>;
const load = async (file: string): Promise<Doc> => JSON.parse(await readFile(file, 'utf8')) as Doc;

/** The published document with every amount fepa can compute removed (what a POS would send). */
function withoutComputedAmounts(published: Doc): Doc {
  const doc = structuredClone(published);
  for (const item of doc.gItem) {
    delete item.gPrecios.dPrItem;
    delete item.gPrecios.dValTotItem;
    delete item.gITBMSItem.dValITBMS;
  }
  const { iPzPag, gFormaPago } = doc.gTot;
  doc.gTot = { iPzPag, gFormaPago };
  return doc;
}

async function xmllintValidates(xml: string, dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, xml);
  const { stderr } = await run('xmllint', [
    '--noout',
    '--schema',
    join(dgiSchemaDir(), 'FE_v1.00.xsd'),
    file,
  ]);
  return stderr;
}

describe('documents shaped like real DGI-authorized invoices', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir('fepa-real-');
  });

  for (const file of REAL) {
    const name = file.split('/').at(-1)!;

    it(`${name}: published totals are accepted as given, built, signed, schema-valid and verified`, async () => {
      const published = await load(file);
      assert.equal(published.gDGen.gEmis.dSucEm, 'PPAL');
      const result = validateDocument(structuredClone(published), { securityCode: fixedSecurityCode });
      assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues, null, 2));
      for (const key of TOTALS) assert.equal(result.document.gTot[key], published.gTot[key], key);
      const { xml } = signForTests(result.document);
      assert.match(xml, /<dValITBMS>0\.087664<\/dValITBMS>/, 'the 6-decimal amount is kept as written');
      assert.match(await xmllintValidates(xml, dir, `given-${name}.xml`), /validates/);
      assert.ok(verifySignedRfe(xml).ok);
      assert.ok(
        await xmlsecVerifies(
          xml.replace(/<gNoFirm>[\s\S]*?<\/gNoFirm>/, ''),
          testCertificate().certificatePem,
        ),
      );
    });

    it(`${name}: with the amounts left to fepa, it writes the published totals and item amounts`, async () => {
      const published = await load(file);
      const result = validateDocument(withoutComputedAmounts(published), { securityCode: fixedSecurityCode });
      assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues, null, 2));
      for (const key of TOTALS) assert.equal(result.document.gTot[key], published.gTot[key], key);
      result.document.gItem.forEach((item, i) => {
        const expected = published.gItem[i];
        for (const [got, want] of [
          [item.gPrecios.dPrItem, expected.gPrecios.dPrItem],
          [item.gPrecios.dValTotItem, expected.gPrecios.dValTotItem],
          [item.gITBMSItem.dValITBMS, expected.gITBMSItem.dValITBMS],
        ])
          assert.ok(new Decimal(got).eq(want), `gItem[${i}]: ${got} ≠ ${want}`);
      });
      const { xml } = signForTests(result.document);
      assert.match(await xmllintValidates(xml, dir, `computed-${name}.xml`), /validates/);
      assert.ok(verifySignedRfe(xml).ok);
    });
  }

  it('fepa build then fepa sign then fepa verify, with the totals left to fepa (sign accepts what build wrote)', async () => {
    const password = 'real-documents-p12';
    const keys = makeKeyPair();
    await writeFile(
      join(dir, 'issuer.p12'),
      makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [makeCertificate({ keys })], password }),
    );
    const env = { ...process.env, P12_PASS: password, FEPA_QR_KEY: 'real-documents-qr' };
    for (const file of REAL) {
      const input = join(dir, 'input.json');
      await writeFile(input, JSON.stringify(withoutComputedAmounts(await load(file))));
      const built = await run(FEPA, ['build', input], { cwd: PROJECT_ROOT });
      await writeFile(join(dir, 'unsigned.xml'), built.stdout);
      const signed = await run(
        FEPA,
        ['sign', join(dir, 'unsigned.xml'), '--p12', join(dir, 'issuer.p12'), '--password-env', 'P12_PASS'],
        { cwd: PROJECT_ROOT, env },
      );
      await writeFile(join(dir, 'signed.xml'), signed.stdout);
      const verified = await run(FEPA, ['verify', join(dir, 'signed.xml')], { cwd: PROJECT_ROOT });
      assert.match(verified.stdout, /^signature holds/);
      assert.match(await xmllintValidates(signed.stdout, dir, 'cli-signed.xml'), /validates/);
      assert.ok(signed.stdout.includes('<dSucEm>PPAL</dSucEm>'));
    }
  });
});
