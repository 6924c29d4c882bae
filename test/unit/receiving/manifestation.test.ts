import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { makeSelfSignedCertificate } from '../../../domain/certificates/self-signed-certificate.js';
import {
  MANIFESTATION_KEY_FIELD,
  ManifestationError,
  signManifestation,
  writeCanonicalManifestation,
} from '../../../domain/receiving/manifestation.js';
import { verifySignedRfe } from '../../../domain/signing/verify-rfe.js';
import { dgiSchemaDir } from '../../helpers/dgi-fixtures.js';
import { xmlsecVerifies } from '../../helpers/independent-verifiers.js';
import { tempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);
const key = makeSelfSignedCertificate({ subject: [{ shortName: 'CN', value: 'RECEPTOR 155654321-2-2020' }] });
const input = {
  environment: '2' as const,
  cufe: 'FE0120000155700001-2-2021-4300002026120700000000010010126653232301',
  protocol: '20260000000000123456',
  receiverRuc: '155654321-2-2020',
  code: '1004' as const,
  reason: 'La mercancia nunca fue entregada',
};

describe("the receiver's manifestation (rEvManifRecep)", () => {
  it("is valid against the DGI's schema, signed, and verifies with fepa's verifier and xmlsec1", async () => {
    const signed = signManifestation(input, key);
    const dir = await tempDir('fepa-manif-');
    await writeFile(join(dir, 'event.xml'), signed);
    const { stderr } = await run('xmllint', [
      '--noout',
      '--schema',
      join(dgiSchemaDir(), 'evManifRecep_v1.00.xsd'),
      join(dir, 'event.xml'),
    ]);
    assert.match(stderr, /validates/);
    assert.equal(verifySignedRfe(signed, { rootName: 'rEvManifRecep' }).ok, true);
    assert.equal(await xmlsecVerifies(signed, key.certificatePem), true);
    // Changed after signing: refused.
    assert.equal(verifySignedRfe(signed.replace('1004', '1001'), { rootName: 'rEvManifRecep' }).ok, false);
  });

  it('names the document by the one key field, and says when the DGI has not given it', () => {
    const canonical = writeCanonicalManifestation({ ...input, signatureId: `ID${'1'.repeat(20)}` });
    assert.ok(canonical.includes(`<${MANIFESTATION_KEY_FIELD}>`));
    assert.match(
      canonical,
      /^<rEvManifRecep xmlns="http:\/\/dgi-fep\.mef\.gob\.pa"><dVerForm>1\.00<\/dVerForm><gInfProt><dIdFirma>ID1{20}<\/dIdFirma><iAmb>2<\/iAmb>/,
    );
    if (MANIFESTATION_KEY_FIELD === 'dProtAut')
      assert.throws(() => writeCanonicalManifestation({ ...input, protocol: undefined }), ManifestationError);
    assert.throws(() => writeCanonicalManifestation({ ...input, reason: 'corto' }), /15 to 500/);
  });
});
