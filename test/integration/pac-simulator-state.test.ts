import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDocument } from '../../domain/dgi-document/index.js';
import { PostgresSimStore } from '../../tools/pac-simulator/sim-store.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { startSimulator } from '../helpers/pac-simulator.js';
import { harnessSetting } from '../helpers/test-stack.js';
import { randomJuridicalRuc } from '../helpers/companies.js';

describe('the PAC simulator', () => {
  it('keeps its state in PostgreSQL when configured: a restarted simulator still knows the document', async () => {
    const url = harnessSetting('FEPA_TEST_DATABASE_URL');
    const doc = await loadExample('invoice-spec-example.json');
    const { ruc, dv } = randomJuridicalRuc();
    doc.gDGen.gEmis.gRucEmi = { dTipoRuc: '2', dRuc: ruc, dDV: dv };
    const valid = validateDocument(doc);
    assert.ok(valid.ok);
    const first = await startSimulator(PostgresSimStore.connect(url));
    const submitted = await first.sim.submit({ pac: 'edoc', accountId: 'a', document: valid.document });
    assert.equal(submitted.answer.kind, 'document');
    await first.close();
    const second = await startSimulator(PostgresSimStore.connect(url));
    try {
      const found = await second.sim.query({ cufe: valid.document.dId });
      assert.equal(found?.status, 'authorized');
      assert.equal(found?.submissions, 1);
      assert.equal(found?.queries, 1);
    } finally {
      await second.close();
    }
  });

  it('replays the same outcomes for the same seed in random mode, and rules still win', async () => {
    const outcomes = async (seed: number) => {
      const sim = await startSimulator();
      sim.sim.updateSettings({ random: { seed, pendingRate: 0.3, rejectRate: 0.2, errorRate: 0.1 } });
      const result: string[] = [];
      const base = await loadExample('invoice-spec-example.json');
      const { ruc, dv } = randomJuridicalRuc();
      for (let n = 1; n <= 30; n++) {
        const d = structuredClone(base);
        d.gDGen.gEmis.gRucEmi = { dTipoRuc: '2', dRuc: ruc, dDV: dv };
        d.gDGen.dNroDF = String(n);
        const v = validateDocument(d);
        assert.ok(v.ok);
        if (n === 5) await sim.admin('/rules', { match: { number: '5' }, script: ['reject:2007'] });
        const { answer } = await sim.sim.submit({ pac: 'aludra', accountId: 'a', document: v.document });
        result.push(
          answer.kind === 'document'
            ? `${answer.doc.status}${answer.doc.rejection ? `:${answer.doc.rejection.code}` : ''}`
            : answer.reason,
        );
      }
      await sim.close();
      return result;
    };
    const [a, b] = [await outcomes(42), await outcomes(42)];
    assert.deepEqual(a, b);
    assert.equal(a[4], 'rejected:2007');
    assert.ok(new Set(a).size >= 3, `a mix of outcomes: ${[...new Set(a)].join(', ')}`);
    assert.notDeepEqual(await outcomes(7), a, 'another seed, other outcomes');
  });

  it('refuses a scenario step it does not know, naming it', async () => {
    const sim = await startSimulator();
    try {
      const res = await sim.admin('/rules', { match: { number: '1' }, script: ['explode'] });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { detail: string }).detail, /unknown step "explode"/);
    } finally {
      await sim.close();
    }
  });
});
