import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkRucDv,
  computeRucDv,
  RucFormatError,
  type RucType,
} from '../../../domain/dgi-document/ruc-check-digit.js';

/** Every DV vector of spec §10.3, plus the fictitious RUCs of the spec's examples. */
const VECTORS: Array<[string, RucType, string, string]> = [
  ['155668001-2-2018', '2', '37', 'real CUFE'],
  ['155646463-2-2017', '2', '86', 'real CUFE and certificate'],
  ['45400-2-299934', '2', '09', 'old format'],
  ['138-289-35920', '2', '04', 'old format'],
  ['2679372-1-844914', '2', '73', 'production CUFE'],
  ['521-136-113133', '2', '02', 'DGI test sample, old format'],
  ['25046169-3-2021', '2', '40', 'real CUFE'],
  ['155596713-2-2015', '2', '59', 'HKA'],
  ['155610034-2-2015', '2', '27', 'third-party sample'],
  ['10102-64-103462', '2', '30', 'official example 1'],
  ['1102-85-117211', '2', '95', 'official example 2'],
  ['61302-14-123411', '2', '22', 'official example 3'],
  ['8-274-125', '1', '91', 'official example 4, natural'],
  ['8-2743-1253', '1', '31', 'official example 4a, 4-digit tomo'],
  ['8-NT-1-24', '1', '33', 'official example 5, natural NT'],
  ['8-NT-1-123456', '1', '76', 'official example 5.1, 6-digit asiento'],
  ['8-NT-1-419', '2', '68', 'official example 6, juridical NT'],
  ['8-NT-1-123456', '2', '52', 'official example 6.1'],
  ['PE-1-19', '1', '60', 'official example 7'],
  ['E-1-11', '1', '63', 'official example 8'],
  ['E-8-110361', '1', '95', 'official example 8a, 6-digit asiento'],
  ['8PI-1-80', '1', '05', 'official example 9'],
  ['8AV-1-196', '1', '90', 'official example 10'],
  ['E-8788-26', '1', '50', 'official example 12, 4-digit tomo'],
  ['155123456-2-2023', '2', '95', 'spec example emitter'],
  ['155654321-2-2020', '2', '24', 'spec example receiver'],
];

describe('RUC check digit (DV)', () => {
  for (const [ruc, type, dv, source] of VECTORS) {
    it(`computes DV ${dv} for ${ruc} (dTipoRuc ${type}, ${source})`, () => {
      assert.equal(computeRucDv(ruc, type), dv);
    });
  }

  it('chooses the natural or juridical NT branch from dTipoRuc', () => {
    assert.notEqual(computeRucDv('8-NT-1-419', '1'), computeRucDv('8-NT-1-419', '2'));
  });

  it('reports a wrong DV with the expected one', () => {
    assert.deepEqual(checkRucDv('155123456-2-2023', '2', '59'), {
      ok: false,
      expected: '95',
      reason: 'DV 59 does not match, expected 95',
    });
    assert.deepEqual(checkRucDv('155123456-2-2023', '2', '95'), { ok: true });
  });

  it('refuses forms the algorithm does not define instead of guessing', () => {
    assert.throws(() => computeRucDv('8-274', '1'), RucFormatError);
    assert.throws(() => computeRucDv('ABC-1-2', '2'), RucFormatError);
    assert.throws(() => computeRucDv('8PI-1234-80', '1'), /not documented reliably/);
    assert.equal(checkRucDv('8-274', '1', '00').ok, false);
  });
});
