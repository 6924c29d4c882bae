import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { annulUpdate } from '../../common/document-messages.js';
import { readRfe } from '../../domain/dgi-document/index.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import { loadSignedXml } from '../../platform/storage/document-store.js';
import { findCompanyDocument } from '../../platform/storage/document-queries.js';
import { Cufe } from '../../common/search-attributes.js';
import { documentFor } from '../helpers/companies.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios, saveRecordedHistories } from '../helpers/document-scenarios.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { closeTestStack, testDatabase } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { waitForStatus } from '../helpers/workflow-waits.js';
import { freePort } from '../harness/free-port.js';

/**
 * The workflow scenarios that run for the other PACs, with The Factory HKA (SOAP, HKA signs) on the real
 * dev server: first try, rejection and correction, lost reply, duplicate, ambiguous 201, offline,
 * annulment (and one annulment HKA refuses as too late).
 */
describe('the document workflow with The Factory HKA on the real dev server, over real HTTP (SOAP)', () => {
  let simulator: RunningSimulator;
  let worker: TestWorker;
  let example: Record<string, any>;
  const recorded: Array<[string, WorkflowHandle]> = [];

  before(async () => {
    simulator = await startSimulator();
    worker = await startTestWorker({ simulatorUrl: simulator.url });
    example = await loadExample('invoice-pos-6-decimals.json');
  });
  after(async () => {
    await saveRecordedHistories(recorded);
    await worker.stop();
    await simulator.close();
    await closeTestStack();
  });

  const scenarios = () => documentScenarios(simulator, worker, example);

  it('first try: HKA builds and signs; fepa keeps the XML HKA signed, with the CUFE HKA answered', async () => {
    const { company, issue, submissions } = scenarios();
    const c = await company({ pac: 'hka' });
    const { handle, documentId } = await issue(c, '0000000101');
    const state = await handle.result();
    recorded.push(['hka-authorized-first-try', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(state.signedByFepa, false, 'HKA signs: fepa skipped its signing step');
    assert.match(state.cufe ?? '', /^FE01/);
    const xml = await loadSignedXml(testDatabase(), documentId);
    assert.ok(verifySignedRfe(xml!).ok);
    const read = readRfe(xml!);
    assert.ok(read.ok);
    assert.equal(read.document.dId, state.cufe);
    assert.equal(
      read.document.gItem[0]!.gPrecios.dPrUnit,
      example.gItem[0].gPrecios.dPrUnit,
      '6 decimals kept',
    );
    assert.equal(await submissions(c, '0000000101'), 1);
    // HKA's tokens are sealed in the PAC settings: never in the history, the audit record or a plain column.
    const history = JSON.stringify(await handle.fetchHistory());
    const audit = JSON.stringify(
      await testDatabase()`select raw from document_pac_exchanges where document_id = ${documentId}`,
    );
    for (const secret of ['hka-pass', `token-${c.id}`]) {
      assert.ok(!history.includes(secret), 'no HKA token in the workflow history');
      assert.ok(!audit.includes(secret), 'no HKA token in the audit record');
    }
    assert.match(audit, /\[redacted\]/, 'the audit keeps the envelope, tokens redacted');
  });

  it('rejected with two DGI codes, corrected by an operator, authorized with the same number', async () => {
    const { company, issue, submissions, documents } = scenarios();
    const c = await company({ pac: 'hka' });
    const { handle, documentId } = await issue(c, '0000000102', { script: ['reject:2007+2152'] });
    const rejected = await waitForStatus(handle, 'rejected');
    assert.deepEqual(
      rejected.dgiIssues.map((i) => i.code),
      ['2007', '2152'],
    );
    // Rejected before HKA issued a CUFE: fepa's own computation is no one's CUFE (issue #27 §4). Not in the
    // state (what webhooks carry), not in the API's row, not in the search attribute support queries.
    assert.equal(rejected.cufe, undefined);
    assert.equal((await findCompanyDocument(testDatabase(), c.id, documentId))?.cufe, null);
    const attributes = (await handle.describe()).typedSearchAttributes;
    assert.equal(attributes.get(Cufe), undefined);
    const fixed = documentFor(c, example, '0000000102');
    fixed.gItem[0].dDescProd = 'Descripcion corregida por el operador';
    const accepted = await (await documents()).correct(c.id, documentId, fixed, { actor: 'ana@erp' });
    assert.equal(accepted.outcome, 'done');
    const state = await handle.result();
    recorded.push(['hka-rejected-corrected-authorized', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(await submissions(c, '0000000102'), 2);
    // Authorized: the CUFE HKA issued, everywhere.
    const held = await simulator.sim.store.byCufe(state.cufe ?? '');
    assert.equal(held?.number, '0000000102');
    assert.equal((await findCompanyDocument(testDatabase(), c.id, documentId))?.cufe, state.cufe);
    assert.equal((await handle.describe()).typedSearchAttributes.get(Cufe), state.cufe);
  });

  it('after a lost reply, reconciles by EstadoDocumento and never submits twice', async () => {
    const { company, issue, submissions } = scenarios();
    const c = await company({ pac: 'hka' });
    const { handle } = await issue(c, '0000000103', { script: ['lose-reply'] });
    const state = await handle.result();
    recorded.push(['hka-lost-reply-reconciled', handle]);
    assert.equal(state.status, 'authorized');
    assert.equal(state.reconciliations, 1);
    assert.equal(await submissions(c, '0000000103'), 1);
  });

  it('a 102 duplicate is reconciled and the authorization HKA holds is adopted', async () => {
    const { company, issue } = scenarios();
    const c = await company({ pac: 'hka' });
    const { handle, documentId } = await issue(c, '0000000104', { script: ['duplicate'] });
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.equal(state.reconciliations, 1);
    assert.ok(verifySignedRfe((await loadSignedXml(testDatabase(), documentId))!).ok);
  });

  it('an ambiguous 201 without a CUFE: EstadoDocumento finds nothing, the document is sent again once', async () => {
    const { company, issue, submissions } = scenarios();
    const c = await company({ pac: 'hka' });
    const { handle } = await issue(c, '0000000105', { script: ['refuse:201', 'authorized'] });
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
    assert.equal(await submissions(c, '0000000105'), 1, 'HKA took it once');
  });

  it('keeps a document queued while HKA is unreachable, and sends it when HKA answers', async () => {
    const { company, issue, bringPacBack } = scenarios();
    const c = await company({ pac: 'hka', baseUrl: `http://127.0.0.1:${await freePort()}` });
    const { handle } = await issue(c, '0000000106');
    await waitForStatus(handle, 'queued_offline');
    await bringPacBack(c, 'hka');
    const state = await handle.result();
    assert.equal(state.status, 'authorized');
  });

  it("annuls an authorized document through HKA; after HKA's window, the refusal says to issue a credit note", async () => {
    const { company, issue } = scenarios();
    const c = await company({ pac: 'hka' });
    const { handle } = await issue(c, '0000000107', { timings: { annulWindowMs: 60_000 } });
    await waitForStatus(handle, 'authorized');
    const answer = await handle.executeUpdate(annulUpdate, {
      args: [{ actor: 'ana', reason: 'La venta no se realizo finalmente' }],
    });
    assert.equal(answer.status, 'annulled');
    assert.equal((await handle.result()).status, 'annulled');
    recorded.push(['hka-authorized-annulled', handle]);

    const late = await company({ pac: 'hka', hkaAccount: { annulmentWindowHours: 0 } });
    const lateDoc = await issue(late, '0000000108', { timings: { annulWindowMs: 60_000 } });
    await waitForStatus(lateDoc.handle, 'authorized');
    await assert.rejects(
      lateDoc.handle.executeUpdate(annulUpdate, {
        args: [{ actor: 'ana', reason: 'La venta no se realizo finalmente' }],
      }),
      (err: unknown) =>
        err instanceof WorkflowUpdateFailedError && /credit note/.test(err.cause?.message ?? ''),
    );
  });
});
