import assert from 'node:assert/strict';
import { until } from '../helpers/workflow-waits.js';
import { meaning } from '../helpers/pac-meaning.js';
import { after, before, describe, it } from 'node:test';
import { parseCufe, readRfe, validateDocument, type DgiDocument } from '../../domain/dgi-document/index.js';
import { panamaDateTime, requestInContingency } from '../../domain/contingency/contingency-emission.js';
import { AludraAdapter } from '../../pac/aludra/aludra-adapter.js';
import { EdocAdapter } from '../../pac/edoc/edoc-adapter.js';
import { EdocTokenCache } from '../../pac/edoc/edoc-token-cache.js';
import { HkaAdapter } from '../../pac/hka/hka-adapter.js';
import type { DocumentRef, PacAdapter, Submission } from '../../pac/pac-adapter.js';
import type { PacResult } from '../../pac/pac-result.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import { randomJuridicalRuc } from '../helpers/companies.js';
import { loadExample, signForTests } from '../helpers/dgi-fixtures.js';
import { documentKeyOf } from '../helpers/document-key.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';

/** What the shared suite needs to know about one adapter + simulator pair. */
interface PacUnderTest {
  name: 'aludra' | 'edoc' | 'hka';
  /** Who signs: the PAC returns the XML it signed (eDoc, HKA). */
  pacSigns: boolean;
  accountId: string;
  adapter(options?: { timeoutMs?: number; badCredentials?: boolean }): PacAdapter;
  submission(doc: DgiDocument): Submission;
}

let simulator: RunningSimulator;
let example: Record<string, any>;
const emitter = randomJuridicalRuc();
let number = 1000;

/** A fresh valid document (new number) from this test's emitter. */
function nextDocument(mutate?: (d: Record<string, any>) => void): DgiDocument {
  const doc = structuredClone(example);
  doc.gDGen.gEmis.gRucEmi = { dTipoRuc: '2', dRuc: emitter.ruc, dDV: emitter.dv };
  doc.gDGen.dNroDF = String(++number);
  delete doc.gDGen.dSeg;
  mutate?.(doc);
  const result = validateDocument(doc);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.issues));
  return result.document;
}

/** A fresh document issued now in a contingency open since `since` (iTpEmis 02). */
const contingencyDocument = (since: Date): DgiDocument =>
  nextDocument((d) => {
    d.gDGen.dFechaEm = panamaDateTime(new Date());
    const issued = requestInContingency(
      d,
      { since, reason: 'Sin comunicacion con el PAC durante la prueba', modality: 'prior' },
      new Date(),
    );
    assert.ok(issued.ok);
    Object.assign(d.gDGen, issued.request.gDGen);
  });

const refOf = (doc: DgiDocument): DocumentRef => ({ key: documentKeyOf(doc), cufe: doc.dId });

const rule = (script: string[], doc: DgiDocument, pac: string) =>
  simulator.admin('/rules', {
    pac,
    match: { ruc: doc.gDGen.gEmis.gRucEmi.dRuc, number: doc.gDGen.dNroDF },
    script,
  });

async function submissionsOf(doc: DgiDocument): Promise<number> {
  const res = await simulator.admin(
    `/documents?ruc=${doc.gDGen.gEmis.gRucEmi.dRuc}&number=${doc.gDGen.dNroDF}`,
  );
  const docs = (await res.json()) as Array<{ submissions: number }>;
  return docs.reduce((n, d) => n + d.submissions, 0);
}

const edocTokens = new EdocTokenCache();

const PACS: PacUnderTest[] = [
  {
    name: 'aludra',
    pacSigns: false,
    accountId: 'contract-aludra',
    adapter: (o = {}) =>
      new AludraAdapter({
        baseUrl: simulator.aludraUrl,
        credentials: {
          apiKey: o.badCredentials ? 'not-a-valid-key-000' : 'contract-aludra-api-key',
          companyCode: 'EMP-001',
        },
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      }),
    submission: (doc) => ({ ref: refOf(doc), signedXml: signForTests(doc).xml, idempotencyKey: doc.dId }),
  },
  {
    name: 'edoc',
    pacSigns: true,
    accountId: 'contract-edoc',
    adapter: (o = {}) =>
      new EdocAdapter({
        baseUrl: simulator.edocUrl,
        companyId: 'contract-company',
        credentials: { user: 'contract-user', password: o.badCredentials ? 'wrong' : 'contract-password' },
        tokens: edocTokens,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      }),
    submission: (doc) => {
      const { dId: _cufe, ...json } = doc;
      return {
        ref: refOf(doc),
        document: { ...json, gDGen: { ...json.gDGen } },
        idempotencyKey: doc.dId,
        extras: {
          CorreoResponsable: 'facturacion@emisor.example',
          Campo1: 'ERP-42',
          AutorizacionPrevia: true,
        },
      };
    },
  },
  {
    name: 'hka',
    pacSigns: true,
    accountId: 'contract-hka',
    adapter: (o = {}) =>
      new HkaAdapter({
        baseUrl: simulator.hkaUrl,
        credentials: {
          tokenEmpresa: 'contract-hka-token',
          tokenPassword: o.badCredentials ? 'wrong' : 'contract-hka-password',
        },
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      }),
    submission: (doc) => {
      const { dId: _cufe, ...json } = doc;
      return { ref: refOf(doc), document: json, idempotencyKey: doc.dId };
    },
  },
];

before(async () => {
  simulator = await startSimulator();
  example = await loadExample('invoice-spec-example.json');
  await simulator.admin('/accounts', {
    id: 'contract-aludra',
    pac: 'aludra',
    environment: '2',
    apiKey: 'contract-aludra-api-key',
    companyCode: 'EMP-001',
  });
  await simulator.admin('/accounts', {
    id: 'contract-edoc',
    pac: 'edoc',
    environment: '2',
    user: 'contract-user',
    password: 'contract-password',
  });
  await simulator.admin('/accounts', {
    id: 'contract-hka',
    pac: 'hka',
    environment: '2',
    tokenEmpresa: 'contract-hka-token',
    tokenPassword: 'contract-hka-password',
    emitter: nextDocument().gDGen.gEmis,
  });
});
after(async () => {
  await simulator.close();
});

/** The PAC's CUFE: Aludra echoes fepa's; eDoc and HKA compute their own (they sign). */
const expectCufe = (pac: PacUnderTest, result: PacResult, doc: DgiDocument) => {
  if (pac.name === 'aludra') assert.equal(result.cufe, doc.dId);
  else assert.match(result.cufe ?? '', /^FE01/);
};

for (const pac of PACS) {
  describe(`PAC contract: ${pac.name} adapter against the simulator over HTTP`, () => {
    it('authorizes a valid document at once, with CUFE, protocol and date', async () => {
      const doc = nextDocument();
      const result = await pac.adapter().submit(pac.submission(doc));
      assert.equal(result.status, 'authorized', JSON.stringify(result));
      assert.equal(meaning(result), 'authorized');
      assert.equal(result.needsConfirmation, undefined);
      expectCufe(pac, result, doc);
      assert.match(result.protocol ?? '', /^[0-9]{20}$/);
      assert.match(result.authorizedAt ?? '', /-05:00$/);
      const audit = JSON.stringify(result.raw);
      for (const secret of ['contract-password', 'contract-aludra-api-key', 'contract-hka-password'])
        assert.ok(!audit.includes(secret), 'no credentials in the audit record');
      if (pac.pacSigns) {
        const verified = verifySignedRfe(result.signedXml ?? '');
        assert.ok(verified.ok, 'the XML the PAC signed verifies');
        const signed = readRfe(result.signedXml!);
        assert.equal(
          signed.ok && signed.document.dId,
          result.cufe,
          'the signed XML carries the CUFE answered',
        );
      }
    });

    it('takes a contingency document (iTpEmis 02) issued during an outage as it is once the PAC is back', async () => {
      const since = new Date(Date.now() - 2 * 3_600_000);
      const doc = contingencyDocument(since);
      assert.equal(doc.gDGen.iTpEmis, '02');
      assert.equal(parseCufe(doc.dId).ok && parseCufe(doc.dId).fields?.iTpEmis, '02');
      const adapter = pac.adapter();
      await simulator.admin('/outage', { durationMs: 60_000, mode: 'reset' });
      try {
        const during = await adapter.submit(pac.submission(doc));
        assert.ok(
          !['authorized', 'annulled', 'person'].includes(meaning(during)),
          `nothing is final while the PAC is down: ${during.status}`,
        );
      } finally {
        await simulator.admin('/outage', undefined, 'DELETE');
      }
      assert.equal(await submissionsOf(doc), 0, 'nothing reached the PAC during the outage');
      const result = await adapter.submit(pac.submission(doc));
      assert.equal(result.status, 'authorized', JSON.stringify(result));
      expectCufe(pac, result, doc);
      assert.equal(await submissionsOf(doc), 1);
      if (pac.pacSigns) {
        const signed = readRfe(result.signedXml ?? '');
        assert.ok(signed.ok);
        assert.equal(signed.document.gDGen.iTpEmis, '02', 'the PAC signed the contingency document as it is');
        assert.equal(signed.document.gDGen.dFechaCont, panamaDateTime(since));
      }
    });

    it('takes a contingency copy the emitter signed (issue #27 §3): transmitted once, its CUFE kept; a copy whose CUFE does not follow is refused', async () => {
      const doc = contingencyDocument(new Date(Date.now() - 3_600_000));
      const signedXml = signForTests(doc).xml;
      // What the workflow sends: Aludra always takes fepa's signed XML; a PAC that signs gets the copy.
      const copy: Submission = pac.pacSigns
        ? { ...pac.submission(doc), signedXml, signedCopy: true }
        : pac.submission(doc);
      const result = await pac.adapter().submit(copy);
      assert.equal(result.status, 'authorized', JSON.stringify(result));
      assert.equal(result.cufe, doc.dId, "the PAC keeps the CUFE on the customer's copy");
      const kept = readRfe(result.signedXml ?? signedXml);
      assert.ok(kept.ok && kept.document.dId === doc.dId && kept.document.gDGen.iTpEmis === '02');
      assert.ok(verifySignedRfe(result.signedXml ?? signedXml).ok);
      assert.equal(await submissionsOf(doc), 1);
      if (!pac.pacSigns) return;
      // A copy whose CUFE is not the document's (another security code): never authorized under another CUFE.
      const other = nextDocument();
      const wrong = { ...pac.submission(other), signedXml: signForTests(other).xml, signedCopy: true };
      const foreign = nextDocument();
      const mismatched: Submission = {
        ...wrong,
        ref: { ...wrong.ref, cufe: foreign.dId },
        signedXml:
          pac.name === 'edoc' ? signForTests(other).xml.replace(other.dId, foreign.dId) : wrong.signedXml,
      };
      const refused = await pac
        .adapter()
        .submit(mismatched)
        .catch((err: Error) => err);
      if (refused instanceof Error) assert.match(refused.message, /does not follow/);
      else assert.notEqual(refused.status, 'authorized', JSON.stringify(refused));
    });

    it('keeps a pending document non-terminal until a status query finds it authorized', async () => {
      const doc = nextDocument();
      await rule(['pending', 'pending', 'authorized'], doc, pac.name);
      const adapter = pac.adapter();
      const first = await adapter.submit(pac.submission(doc));
      // Aludra's pending answer is 0260 (DGI-authorized, to be confirmed); eDoc's is state 5; HKA's is
      // 202 (no DGI answer yet), an outcome to reconcile.
      if (pac.name === 'aludra')
        assert.deepEqual(
          [first.status, first.needsConfirmation, first.pacCode],
          ['authorized', true, '0260'],
        );
      else if (pac.name === 'hka')
        assert.deepEqual(
          [first.status, meaning(first), first.pacCode],
          ['unknown', 'reconcile-unknown', '202'],
        );
      else assert.deepEqual([first.status, meaning(first), first.pacCode], ['pending', 'poll', '5']);
      const ref = { ...refOf(doc), ...(first.cufe ? { cufe: first.cufe } : {}) };
      const second = await adapter.queryStatus(ref);
      assert.ok(second.status === 'pending' || second.needsConfirmation, JSON.stringify(second.pacCode));
      const third = await adapter.queryStatus(ref);
      assert.equal(third.status, 'authorized');
      assert.equal(third.needsConfirmation, undefined);
      assert.equal(await submissionsOf(doc), 1, 'polled, never resubmitted');
    });

    it('reports a DGI rejection with its issues, for a person to correct', async () => {
      const doc = nextDocument();
      await rule(['reject:1601'], doc, pac.name);
      const result = await pac.adapter().submit(pac.submission(doc));
      assert.equal(result.status, 'rejected-correctable');
      assert.equal(meaning(result), 'person');
      assert.deepEqual(
        result.dgiIssues.map((i) => [i.code, i.effect]),
        [['1601', 'E']],
      );
    });

    it('reads the DGI code 1508 (excessive time in contingency) as support, not correct-and-resend, like every PAC', async () => {
      const doc = nextDocument();
      await rule(['reject:1508'], doc, pac.name);
      const result = await pac.adapter().submit(pac.submission(doc));
      assert.equal(result.status, 'error-needs-support', JSON.stringify(result.dgiIssues));
      assert.equal(meaning(result), 'person');
    });

    it('answers a second submission of the same number with a different content as a duplicate', async () => {
      const doc = nextDocument();
      assert.equal((await pac.adapter().submit(pac.submission(doc))).status, 'authorized');
      const changed = nextDocument((d) => {
        d.gDGen.dNroDF = doc.gDGen.dNroDF;
        d.gItem[0].dDescProd = 'Otro contenido con el mismo numero';
      });
      const again = await pac.adapter().submit(pac.submission(changed));
      assert.equal(again.status, 'duplicate');
      assert.equal(meaning(again), 'reconcile-duplicate');
    });

    it('refuses bad credentials (HKA: code 100, for support, never retried blindly)', async () => {
      const result = await pac.adapter({ badCredentials: true }).submit(pac.submission(nextDocument()));
      if (pac.name === 'hka')
        assert.deepEqual(
          [result.status, result.pacCode, meaning(result)],
          ['error-needs-support', '100', 'person'],
        );
      else assert.equal(result.status, 'auth-failed');
    });

    it('after a lost reply, the status query finds the committed document: one submission only', async () => {
      const doc = nextDocument();
      await rule(['lose-reply'], doc, pac.name);
      const adapter = pac.adapter();
      const lost = await adapter.submit(pac.submission(doc));
      assert.equal(lost.status, 'unknown');
      assert.equal(meaning(lost), 'reconcile-unknown');
      const found = await adapter.queryStatus(refOf(doc));
      assert.equal(found.status, 'authorized');
      assert.equal(await submissionsOf(doc), 1);
    });

    it('treats an HTTP 500 on submission as unknown, and the query says the PAC never took it', async () => {
      const doc = nextDocument();
      await rule(['http-500'], doc, pac.name);
      const adapter = pac.adapter();
      assert.equal((await adapter.submit(pac.submission(doc))).status, 'unknown');
      assert.equal((await adapter.queryStatus(refOf(doc))).status, 'not-found');
      assert.equal(
        (await adapter.submit(pac.submission(doc))).status,
        'authorized',
        'resubmitted only after the query proved absence',
      );
    });

    for (const mode of ['reset', 'unavailable'] as const) {
      it(`through a PAC outage (${mode}): nothing reaches the PAC, nothing is taken as final; back up, it authorizes`, async () => {
        const doc = nextDocument();
        const started = (await (await simulator.admin('/outage', { durationMs: 60_000, mode })).json()) as {
          down: boolean;
        };
        assert.equal(started.down, true);
        try {
          const adapter = pac.adapter({ timeoutMs: 2_000 });
          const during = await adapter.submit(pac.submission(doc));
          assert.ok(['unknown', 'transient'].includes(during.status), `during the outage: ${during.status}`);
          assert.ok(['unknown', 'transient'].includes((await adapter.queryStatus(refOf(doc))).status));
          assert.equal(await submissionsOf(doc), 0, 'the PAC received nothing');
        } finally {
          const ended = (await (await simulator.admin('/outage', undefined, 'DELETE')).json()) as {
            down: boolean;
            refusedCalls: number;
          };
          assert.equal(ended.down, false);
          assert.ok(ended.refusedCalls >= 2, `refused ${ended.refusedCalls} calls`);
        }
        assert.equal((await pac.adapter().queryStatus(refOf(doc))).status, 'not-found');
        assert.equal((await pac.adapter().submit(pac.submission(doc))).status, 'authorized');
      });
    }

    it('treats a timeout as unknown, never as a failure to resend blindly', async () => {
      const doc = nextDocument();
      await rule(['hang:1500', 'authorized'], doc, pac.name);
      const result = await pac.adapter({ timeoutMs: 300 }).submit(pac.submission(doc));
      assert.equal(result.status, 'unknown');
      assert.match(result.pacMessage ?? '', /no answer in time/);
      // The PAC finishes the request it was still working on: a status query finds it authorized.
      const found = await until('the PAC holds it as authorized', async () => {
        const answer = await pac.adapter().queryStatus(refOf(doc));
        return answer.status === 'authorized' ? answer : undefined;
      });
      assert.equal(found.status, 'authorized');
    });

    for (const form of ['html', 'empty', 'json'] as const) {
      it(`treats a malformed answer (${form}) as unknown, and reconciles by query`, async () => {
        const doc = nextDocument();
        await rule([`malformed:${form}`], doc, pac.name);
        const adapter = pac.adapter();
        assert.equal((await adapter.submit(pac.submission(doc))).status, 'unknown');
        assert.equal((await adapter.queryStatus(refOf(doc))).status, 'authorized');
      });
    }

    it('annuls an authorized document, idempotently, and refuses to annul what is not authorized', async () => {
      const doc = nextDocument();
      const adapter = pac.adapter();
      const submitted = await adapter.submit(pac.submission(doc));
      const ref = { ...refOf(doc), cufe: submitted.cufe! };
      const annulled = await adapter.annul(ref, 'Operacion no realizada por el cliente');
      assert.equal(annulled.status, 'annulled');
      const again = await adapter.annul(ref, 'Operacion no realizada por el cliente');
      assert.equal(again.status, 'annulled', 'repeating an annulment is success');
      const pendingDoc = nextDocument();
      await rule(['pending', 'pending', 'pending'], pendingDoc, pac.name);
      const pendingResult = await adapter.submit(pac.submission(pendingDoc));
      if (pac.name !== 'aludra') {
        const refused = await adapter.annul(
          { ...refOf(pendingDoc), cufe: pendingResult.cufe! },
          'Operacion no realizada',
        );
        assert.equal(refused.status, 'rejected-correctable');
      }
    });

    it('downloads the XML of an authorized document', async () => {
      const doc = nextDocument();
      const adapter = pac.adapter();
      const submitted = await adapter.submit(pac.submission(doc));
      const downloaded = await adapter.downloadXml({ ...refOf(doc), cufe: submitted.cufe! });
      assert.equal(downloaded.status, 'authorized');
      assert.ok(verifySignedRfe(downloaded.signedXml ?? '').ok);
    });
  });
}

describe('PAC contract: eDoc tokens', () => {
  it('keeps one token per company and service, renews it after a 401 when it expires mid-run', async () => {
    const tokens = new EdocTokenCache();
    const adapter = new EdocAdapter({
      baseUrl: simulator.edocUrl,
      companyId: 'token-co',
      credentials: { user: 'contract-user', password: 'contract-password' },
      tokens,
    });
    assert.equal((await adapter.submit(PACS[1]!.submission(nextDocument()))).status, 'authorized');
    assert.equal(tokens.size, 1);
    await simulator.admin('/accounts/contract-edoc/expire-tokens', {});
    assert.equal(
      (await adapter.submit(PACS[1]!.submission(nextDocument()))).status,
      'authorized',
      'renewed once after the 401',
    );
    const doc = nextDocument();
    await rule(['token-expires-now', 'authorized'], doc, 'edoc');
    assert.equal((await adapter.submit(PACS[1]!.submission(doc))).status, 'authorized');
    assert.equal(await submissionsOf(doc), 1);
  });

  it('renews a token a safety margin before it expires, and drops tokens at once on revocation or new credentials', () => {
    let now = 1_000_000;
    const cache = new EdocTokenCache(5 * 60_000, () => now);
    const credentials = { user: 'u', password: 'p' };
    const key = EdocTokenCache.key('co-1', 'emission', credentials);
    cache.set(key, 'tok', now + 10 * 60_000);
    assert.equal(cache.get(key), 'tok');
    now += 5 * 60_000 + 1;
    assert.equal(cache.get(key), undefined, 'renewed 5 minutes before expira');
    cache.set(key, 'tok2', now + 60 * 60_000);
    assert.notEqual(
      EdocTokenCache.key('co-1', 'emission', { user: 'u', password: 'new' }),
      key,
      'new credentials never reuse the old token',
    );
    cache.set(EdocTokenCache.key('co-1', 'query', credentials), 'tok3', now + 60 * 60_000);
    assert.equal(cache.revoke('co-1'), 2);
    assert.equal(cache.size, 0);
  });

  it('refuses a document sent to the wrong endpoint by code (state 15), not by message', async () => {
    const doc = nextDocument();
    const adapter = PACS[1]!.adapter();
    const submission = PACS[1]!.submission(doc);
    const result = await adapter.submit({
      ...submission,
      ref: { ...submission.ref, key: { ...submission.ref.key, docType: '04' } },
    });
    assert.equal(result.status, 'rejected-correctable');
    assert.equal(result.pacCode, '15');
  });
});
