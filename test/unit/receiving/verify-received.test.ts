import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { makeSelfSignedCertificate } from '../../../domain/certificates/self-signed-certificate.js';
import {
  buildQrUrl,
  computeCufe,
  validateDocument,
  writeCanonicalRfe,
} from '../../../domain/dgi-document/index.js';
import { identifyReceived } from '../../../domain/receiving/identify-received.js';
import { panamaDateTime } from '../../../domain/dgi-document/panama-time.js';
import { verifyReceived } from '../../../domain/receiving/verify-received.js';
import { assembleSignedRfe, signCanonicalRfe } from '../../../domain/signing/sign-rfe.js';
import { MemorySimStore } from '../../../tools/pac-simulator/sim-store.js';
import { SupplierSide, invoiceWithItems } from '../../../tools/pac-simulator/supplier-side.js';
import { randomJuridicalRuc } from '../../helpers/companies.js';

/**
 * What fepa checks on a supplier's document before asking the DGI (issue #26 §2), each check with the path and
 * rule it names. Documents come from the simulator's supplier (its own certificate), as a company receives them.
 */
const receiver = { ...randomJuridicalRuc(), name: 'EMPRESA RECEPTORA, S.A.' };
const supplier = new SupplierSide(new MemorySimStore());
const issued = await supplier.issue({ receiver, items: 3 });
const errors = (xml: string, ruc = receiver.ruc) =>
  verifyReceived(xml, { receiverRuc: ruc }).findings.filter((f) => f.severity === 'error');

/** The supplier's header, issued a moment ago to the receiver (within its new certificate's validity). */
const header = () => ({
  iAmb: '2',
  iTpEmis: '01',
  iDoc: '01',
  dNroDF: '0000000123',
  dPtoFacDF: '001',
  dFechaEm: panamaDateTime(new Date(Date.now() - 10_000)),
  iNatOp: '01',
  iTipoOp: '1',
  iDest: '1',
  iFormCAFE: '1',
  iEntCAFE: '1',
  dEnvFE: '1',
  iProGen: '1',
  iTipoTranVenta: '1',
  gEmis: {
    gRucEmi: { dTipoRuc: '2', dRuc: supplier.ruc, dDV: supplier.dv },
    dNombEm: 'PROVEEDOR SIMULADO, S.A.',
    dSucEm: '0000',
    dCoordEm: '+8.983300,-79.516700',
    dDirecEm: 'Calle 50',
    gUbiEm: { dCodUbi: '8-8-7', dCorreg: 'BELLA VISTA', dDistr: 'PANAMA', dProv: 'PANAMA' },
    dTfnEm: ['6000-0000'],
  },
  gDatRec: {
    iTipoRec: '01',
    gRucRec: { dTipoRuc: '2', dRuc: receiver.ruc, dDV: receiver.dv },
    dNombRec: receiver.name,
    dDirecRec: 'Via Espana',
    gUbiRec: { dCodUbi: '8-8-9', dCorreg: 'SAN FRANCISCO', dDistr: 'PANAMA', dProv: 'PANAMA' },
    cPaisRec: 'PA',
  },
});

/** A document of the supplier's, changed by `change` before it is signed (a fresh key unless given). */
function signedWith(
  change: (doc: any) => void,
  key = makeSelfSignedCertificate({ subject: [{ shortName: 'CN', value: 'PROVEEDOR' }] }),
) {
  const built = validateDocument(invoiceWithItems(2, header()));
  assert.ok(built.ok, JSON.stringify(!built.ok && built.issues));
  const doc = structuredClone(built.document) as any;
  change(doc);
  const canonical = writeCanonicalRfe(doc);
  const { signature, digestValue } = signCanonicalRfe(canonical, key);
  return assembleSignedRfe(
    canonical,
    signature,
    buildQrUrl({ cufe: doc.dId, iAmb: '2', digestValue, key: 'k' }),
  );
}

/** The CUFE of a supplier document's own fields, with `change` applied to them. */
const cufeOf = (doc: any, change: { dNroDF?: string } = {}) =>
  computeCufe({
    iDoc: '01',
    dTipoRuc: '2',
    dRuc: supplier.ruc,
    dDV: supplier.dv,
    dSucEm: '0000',
    issueDate: String(doc.gDGen.dFechaEm).slice(0, 10).replaceAll('-', ''),
    dNroDF: change.dNroDF ?? doc.gDGen.dNroDF,
    dPtoFacDF: '001',
    iTpEmis: '01',
    iAmb: '2',
    dSeg: doc.gDGen.dSeg,
  });

describe("a supplier's document, verified", () => {
  it('as issued: valid, no errors, the signer and the digest reported', () => {
    const report = verifyReceived(issued.xml, { receiverRuc: receiver.ruc });
    assert.equal(report.verdict, 'valid', JSON.stringify(report.findings));
    assert.deepEqual(
      report.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.equal(report.identity?.cufe, issued.cufe);
    assert.equal(report.signer?.ruc, supplier.ruc);
    assert.ok(report.digestValue);
  });

  it('any digit changed in the signed content makes it invalid (property, 200 cases)', () => {
    const end = issued.xml.indexOf('<Signature');
    const digits = [...issued.xml.slice(0, end).matchAll(/>[^<]*?([0-9])[^<]*</g)].map(
      (m) => m.index + m[0].indexOf(m[1]!),
    );
    assert.ok(digits.length > 50);
    fc.assert(
      fc.property(fc.constantFrom(...digits), fc.integer({ min: 1, max: 9 }), (at, delta) => {
        const changed = String((Number(issued.xml[at]) + delta) % 10);
        const tampered = issued.xml.slice(0, at) + changed + issued.xml.slice(at + 1);
        const report = verifyReceived(tampered, { receiverRuc: receiver.ruc });
        assert.equal(report.verdict, 'invalid');
        // Whatever else the change breaks, the signature says the document changed after signing.
        assert.ok(
          report.findings.some(
            (f) => f.check === 'intake' || (f.check === 'signature' && f.rule === 'digest-mismatch'),
          ),
          JSON.stringify(report.findings),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('addressed to another company: the receiver RUC is named', () => {
    const [addressee] = errors(issued.xml, '8-888-8888');
    assert.equal(addressee?.rule, 'addressed-to-company');
    assert.equal(addressee?.path, 'gDGen.gDatRec.gRucRec.dRuc');
    assert.match(addressee.message, new RegExp(receiver.ruc));
  });

  it('unsigned: no-signature', () => {
    const unsigned = issued.xml.replace(/<Signature[\s\S]*<\/Signature>/, '');
    assert.deepEqual(
      errors(unsigned).map((f) => [f.check, f.rule]),
      [['signature', 'no-signature']],
    );
  });

  it('a CUFE that does not follow from the fields: the differing field is named', () => {
    const xml = signedWith((doc) => {
      doc.dId = cufeOf(doc, { dNroDF: '0000000999' });
    });
    const found = errors(xml).filter((f) => f.check === 'cufe');
    assert.deepEqual(
      found.map((f) => [f.path, f.rule]),
      [['gDGen.dNroDF', 'cufe-mismatch']],
    );
  });

  it('a certificate not valid when the document was issued', () => {
    const xml = signedWith((doc) => {
      doc.gDGen.dFechaEm = '2025-01-15T10:00:00-05:00';
      doc.dId = cufeOf(doc);
    });
    assert.deepEqual(
      errors(xml).map((f) => [f.check, f.rule]),
      [['certificate', 'valid-when-issued']],
    );
  });

  it("a supplier's rounding that differs is a note, not a refusal", () => {
    const xml = signedWith((doc) => {
      const plus = (v: string) => (Number(v) + 0.01).toFixed(2);
      doc.gTot.dTotITBMS = plus(doc.gTot.dTotITBMS);
      doc.gTot.dTotGravado = plus(doc.gTot.dTotGravado);
      doc.gTot.dVTot = plus(doc.gTot.dVTot);
      doc.gTot.dTotRec = plus(doc.gTot.dTotRec);
      doc.gTot.gFormaPago[0].dVlrCuota = plus(doc.gTot.gFormaPago[0].dVlrCuota);
    });
    const report = verifyReceived(xml, { receiverRuc: receiver.ruc });
    assert.equal(report.verdict, 'valid', JSON.stringify(report.findings));
    assert.ok(
      report.findings.some(
        (f) => f.check === 'arithmetic' && f.severity === 'note' && f.path === 'gTot.dTotITBMS',
      ),
    );
  });
});

describe('the strict first look', () => {
  it('refuses, with the rule, what it cannot read, and never throws (property)', () => {
    for (const [xml, rule] of [
      ['', 'required'],
      ['<!DOCTYPE x [<!ENTITY e "e">]><rFE/>', 'no-dtd'],
      ['<rFE', 'well-formed'],
      ['<rFE/>', 'root'],
      ['<rFE xmlns="http://dgi-fep.mef.gob.pa"><dId>FE01</dId></rFE>', 'cufe-layout'],
      [`<rFE>${'x'.repeat(2 * 1024 * 1024)}</rFE>`, 'max-size'],
    ] as const) {
      const read = identifyReceived(xml);
      assert.equal(read.ok ? 'ok' : read.refusal.rule, rule, xml.slice(0, 40));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const read = identifyReceived(text);
        assert.equal(read.ok, false);
      }),
      { numRuns: 300 },
    );
  });
});
