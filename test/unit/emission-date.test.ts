import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { requestInContingency } from '../../domain/contingency/contingency-emission.js';
import { stampEmissionDate } from '../../domain/dgi-document/emission-date.js';

describe('the emission date fepa stamps (issue #24 §5)', () => {
  it('a request without dFechaEm gets the acceptance time in Panama time; one with it keeps it (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
        (at) => {
          const stamped = stampEmissionDate({ gDGen: { iDoc: '01' } }, at) as { gDGen: { dFechaEm: string } };
          assert.match(stamped.gDGen.dFechaEm, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/);
          assert.equal(Date.parse(stamped.gDGen.dFechaEm), Math.floor(at.getTime() / 1000) * 1000);
          const given = { gDGen: { dFechaEm: '2025-03-10T10:15:00-05:00' } };
          assert.deepEqual(stampEmissionDate(given, at), given);
        },
      ),
      { numRuns: 200 },
    );
    assert.equal(
      stampEmissionDate(undefined, new Date()),
      undefined,
      'no body stays no body (refused later)',
    );
  });

  it("a document dated long before a young contingency is told about its own date, not the contingency's length", () => {
    const opened = new Date('2026-12-07T15:00:00Z');
    const result = requestInContingency(
      { gDGen: { iTpEmis: '01', dFechaEm: '2025-03-10T10:15:00-05:00' } },
      { since: opened, reason: 'Falla de conexión con el PAC', modality: 'prior' },
      new Date(opened.getTime() + 3_000),
    );
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.waitsForPerson, /own emission date \(dFechaEm 2025-03-10T10:15:00-05:00\)/);
      assert.match(result.waitsForPerson, /omit it: fepa stamps/);
    }
  });
});
