import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  contingencyFields,
  LONG_CONTINGENCY_MS,
  panamaDateTime,
  requestInContingency,
} from '../../../domain/contingency/contingency-emission.js';
import { parseCufe, validateDocument } from '../../../domain/dgi-document/index.js';
import { loadExample } from '../../helpers/dgi-fixtures.js';

const REASON = 'Sin conexión con el PAC desde la mañana';
const since = new Date('2026-12-01T14:30:00Z');

test('prior authorization gives 02, posterior 04; dFechaCont is the outage start in Panama time', () => {
  const prior = contingencyFields(
    { since, reason: REASON, modality: 'prior' },
    new Date('2026-12-01T16:00:00Z'),
  );
  assert.deepEqual(prior, {
    ok: true,
    fields: { iTpEmis: '02', dFechaCont: '2026-12-01T09:30:00-05:00', dMotCont: REASON },
  });
  const posterior = contingencyFields({ since, reason: REASON, modality: 'posterior' }, since);
  assert.equal(posterior.ok && posterior.fields.iTpEmis, '04');
});

test('after 72 hours the reason must explain why operation was not resumed, else the document waits for a person', () => {
  const atLimit = new Date(since.getTime() + LONG_CONTINGENCY_MS);
  assert.equal(contingencyFields({ since, reason: REASON, modality: 'prior' }, atLimit).ok, true);
  const later = new Date(atLimit.getTime() + 1);
  const waits = contingencyFields({ since, reason: REASON, modality: 'prior' }, later);
  assert.equal(waits.ok, false);
  assert.match(
    !waits.ok ? waits.waitsForPerson : '',
    /more than 72 hours.*explain why normal operation was not resumed/,
  );
  const explained = contingencyFields(
    {
      since,
      reason: REASON,
      explanation: 'El proveedor de internet no ha restablecido el enlace',
      modality: 'prior',
    },
    later,
  );
  assert.ok(explained.ok);
  assert.equal(explained.fields.dMotCont, `${REASON}. El proveedor de internet no ha restablecido el enlace`);
});

test('a reason that does not fit dMotCont (15–250 characters) waits for a person, naming the lengths', () => {
  const short = contingencyFields({ since, reason: 'sin red', modality: 'prior' }, since);
  assert.deepEqual(short, {
    ok: false,
    waitsForPerson: "the contingency's reason has 7 characters; dMotCont takes 15 to 250",
  });
  const long = contingencyFields({ since, reason: 'x'.repeat(251), modality: 'prior' }, since);
  assert.equal(long.ok, false);
});

test('property: whatever the contingency and the moment, fields given are ones the DGI rules accept', async () => {
  const example = await loadExample('contingency-invoice.json');
  const text = (min: number, max: number) =>
    fc.string({ minLength: min, maxLength: max, unit: fc.constantFrom(...'abcdefghij ñáé,.0123456789') });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10 * 24 * 3_600_000 }),
      text(0, 260),
      fc.option(text(1, 60), { nil: undefined }),
      fc.constantFrom('prior' as const, 'posterior' as const),
      (ageMs, reason, explanation, modality) => {
        const now = new Date('2026-12-03T18:00:00Z');
        const result = contingencyFields(
          { since: new Date(now.getTime() - ageMs), reason, explanation, modality },
          now,
        );
        const long = ageMs > LONG_CONTINGENCY_MS;
        if (!result.ok) {
          const motive =
            long && explanation?.trim() ? `${reason.trim()}. ${explanation.trim()}` : reason.trim();
          assert.ok(
            (long && !explanation?.trim()) || motive.length < 15 || motive.length > 250,
            result.waitsForPerson,
          );
          return;
        }
        const doc = structuredClone(example);
        Object.assign(doc.gDGen, result.fields, { dFechaEm: panamaDateTime(now) });
        delete doc.gDGen.dSeg;
        const validated = validateDocument(doc);
        assert.ok(validated.ok, JSON.stringify(!validated.ok && validated.issues));
        if (long) assert.ok(result.fields.dMotCont.endsWith(explanation!.trim()));
      },
    ),
    { numRuns: 300 },
  );
});

test('property: a 01 request issued in contingency validates, whenever it was emitted relative to the outage', async () => {
  const example = await loadExample('invoice-spec-example.json');
  fc.assert(
    fc.property(
      fc.integer({ min: -6 * 3_600_000, max: 6 * 3_600_000 }),
      fc.integer({ min: 0, max: 60 * 3_600_000 }),
      fc.constantFrom('prior' as const, 'posterior' as const),
      (emittedAfterOutageMs, ageMs, modality) => {
        const now = new Date('2026-12-03T18:00:00Z');
        const outage = new Date(now.getTime() - ageMs);
        const emitted = new Date(Math.min(now.getTime(), outage.getTime() + emittedAfterOutageMs));
        const doc = structuredClone(example);
        doc.gDGen.dFechaEm = panamaDateTime(emitted);
        delete doc.gDGen.dSeg;
        const issued = requestInContingency(doc, { since: outage, reason: REASON, modality }, now);
        assert.ok(issued.ok && issued.changed);
        const gDGen = issued.request.gDGen as Record<string, string>;
        assert.equal(gDGen.iTpEmis, modality === 'prior' ? '02' : '04');
        // The outage's start, unless the document was emitted before it (the DGI refuses dFechaCont > dFechaEm).
        assert.equal(gDGen.dFechaCont, panamaDateTime(emitted < outage ? emitted : outage));
        const validated = validateDocument(issued.request);
        assert.ok(validated.ok, JSON.stringify(!validated.ok && validated.issues));
        const cufe = parseCufe(validated.document.dId);
        assert.ok(cufe.ok);
        assert.equal(cufe.fields.iTpEmis, gDGen.iTpEmis, 'the CUFE carries the emission type');
      },
    ),
    { numRuns: 200 },
  );
});

test('a request already issued in contingency by the client is left as it is', async () => {
  const example = await loadExample('contingency-invoice.json');
  const issued = requestInContingency(example, { since, reason: REASON, modality: 'prior' }, since);
  assert.ok(issued.ok);
  assert.equal(issued.changed, false);
  assert.equal(issued.request, example);
});
