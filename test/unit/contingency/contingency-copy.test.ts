import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contingencyCopy } from '../../../pac/contingency-copy.js';
import { pacCapabilitiesOf } from '../../../pac/pac-capabilities.js';
import type { PacCapabilities } from '../../../pac/pac-adapter.js';

const now = new Date('2026-12-07T12:00:00Z');
const valid = { notAfter: new Date('2027-12-07T00:00:00Z') };
const expired = { notAfter: new Date('2026-12-01T00:00:00Z') };

describe('who can hand the customer a valid document in contingency (pac/contingency-copy.ts)', () => {
  it('every PAC fepa knows can, with the company certificate; the way differs per PAC', () => {
    for (const pac of ['sandbox', 'edoc', 'hka']) {
      const copy = contingencyCopy({ pac, capabilities: pacCapabilitiesOf(pac), certificate: valid }, now);
      assert.ok(copy.possible, `${pac}: ${JSON.stringify(copy)}`);
    }
    const hka = contingencyCopy(
      { pac: 'hka', capabilities: pacCapabilitiesOf('hka'), certificate: valid },
      now,
    );
    assert.ok(hka.possible && /usoPosterior/.test(hka.how));
    const edoc = contingencyCopy(
      { pac: 'edoc', capabilities: pacCapabilitiesOf('edoc'), certificate: valid },
      now,
    );
    assert.ok(edoc.possible && /FirmadaEnte/.test(edoc.how));
  });

  it('without a certificate, or with an expired one, nobody can: refused with the reason and the remedy', () => {
    for (const pac of ['sandbox', 'edoc', 'hka'])
      for (const certificate of [undefined, expired]) {
        const copy = contingencyCopy({ pac, capabilities: pacCapabilitiesOf(pac), certificate }, now);
        assert.equal(copy.possible, false);
        assert.ok(!copy.possible && /certificate/.test(copy.reason) && /certificate/.test(copy.remedy));
      }
  });

  it('a PAC that signs and takes no signed document: refused whatever the certificate', () => {
    const capabilities: PacCapabilities = { signs: 'pac', annul: true, downloadXml: true };
    const copy = contingencyCopy({ pac: 'otro', capabilities, certificate: valid }, now);
    assert.ok(!copy.possible && /cannot take one the company signed/.test(copy.reason));
  });
});
