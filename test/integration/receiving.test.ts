import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImapFlow } from 'imapflow';
import fc from 'fast-check';
import { ReceivedService } from '../../app/services/received-service.js';
import { MailboxService } from '../../app/services/mailbox-service.js';
import type { ReceivedTimings } from '../../common/received-messages.js';
import type { Company } from '../../platform/storage/company-store.js';
import { loadExample } from '../helpers/dgi-fixtures.js';
import { documentScenarios } from '../helpers/document-scenarios.js';
import { startImapServer, type ImapServer } from '../helpers/imap-server.js';
import { startSimulator, type RunningSimulator } from '../helpers/pac-simulator.js';
import { startTestApi, testSecretBox, type TestApi } from '../helpers/test-api.js';
import { capturedSdkLogs, closeTestStack, testDatabase, testTemporal } from '../helpers/test-stack.js';
import { startTestWorker, type TestWorker } from '../helpers/test-worker.js';
import { until } from '../helpers/workflow-waits.js';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { SupplierRuc } from '../../common/search-attributes.js';
import type { ApiCall } from '../helpers/api-client.js';

/**
 * Receiving end to end (issue #26) on real parts: a real IMAP server (dovecot), the dev server, PostgreSQL
 * and the simulator over HTTP. The simulated DGI's supplier side issues documents to the test company.
 */
const LIMIT = { timeout: 90_000 };
const FAST: Partial<ReceivedTimings> = {
  firstRetryMs: 200,
  maxRetryMs: 1_000,
  notFoundAttempts: 2,
  notFoundRetryMs: 300,
  // Looks for a later annulment at 3 s; open for manifestations until 20 s.
  annulmentChecksMs: [3_000, 20_000],
  manifestationAttempts: 3,
};

describe('receiving suppliers documents', () => {
  let simulator: RunningSimulator;
  let imap: ImapServer;
  let worker: TestWorker;
  let api: TestApi;
  let scenarios: ReturnType<typeof documentScenarios>;

  before(async () => {
    simulator = await startSimulator();
    simulator.sim.updateSettings({ autoRegisterSandbox: true });
    imap = await startImapServer();
    worker = await startTestWorker({
      simulatorUrl: simulator.url,
      mailAllowedHosts: [`127.0.0.1:${imap.port}`],
    });
    const env = await testTemporal();
    const intake = {
      sql: testDatabase(),
      client: env.client,
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
    };
    api = await startTestApi({
      ...intake,
      received: new ReceivedService({ ...intake, timings: FAST }),
      mailboxes: new MailboxService({
        ...intake,
        box: testSecretBox,
        mailAllowedHosts: [`127.0.0.1:${imap.port}`],
        receivedTimings: FAST,
        // The schedule would read mid-test (every 5 minutes, on the clock); tests read when they choose.
        pollMinutes: 24 * 60,
      }),
    });
    scenarios = documentScenarios(simulator, worker, await loadExample('invoice-spec-example.json'));
  });
  after(async () => {
    const env = await testTemporal();
    // Received documents' workflows wait for a later annulment: ended here, not left running.
    for await (const w of env.client.workflow.list({
      query: `WorkflowType = 'receivedDocumentWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${worker.taskQueue}'`,
    }))
      await env.client.workflow
        .getHandle(w.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    await api.close();
    await worker.stop();
    await imap.close();
    await simulator.close();
    await closeTestStack();
  });

  const supplierDocument = async (c: Company, extra: Record<string, unknown> = {}) => {
    const res = await simulator.admin('/supplier-documents', {
      receiver: { ruc: c.ruc, dv: c.dv, name: c.name },
      ...extra,
    });
    assert.equal(res.status, 201);
    return (await res.json()) as { cufe: string; xml: string; protocol?: string };
  };
  const postXml = (_call: ApiCall, c: Company, xml: string) => fetchXml(c, xml);
  let keys: Map<string, string>;
  const fetchXml = async (c: Company, xml: string) => {
    keys ??= new Map();
    let key = keys.get(c.id);
    if (!key) keys.set(c.id, (key = await api.keyFor(c.id)));
    const res = await fetch(`${api.url}/v1/companies/${c.id}/received`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' },
      body: xml,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const settled = (call: ApiCall, c: Company, id: string, statuses: string[]) =>
    until(`received ${id} in ${statuses.join('/')}`, async () => {
      const res = await call('GET', `/v1/companies/${c.id}/received/${id}`);
      return statuses.includes(res.body.status) ? (res.body as Record<string, any>) : undefined;
    });
  const mailbox = async (c: Company, call: ApiCall, user: string) => {
    const res = await call('PUT', `/v1/companies/${c.id}/mailbox`, {
      host: '127.0.0.1',
      port: imap.port,
      secure: false,
      username: user,
      password: imap.password,
      whenDone: 'move',
      doneFolder: 'Procesados',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { host: '127.0.0.1', port: imap.port, user, password: imap.password };
  };
  const mail = async (
    box: { host: string; port: number; user: string; password: string },
    xmls: string[],
    zip = false,
  ) => {
    const res = await simulator.admin('/supplier-mail', {
      mailbox: box,
      to: box.user,
      documents: xmls.map((xml, i) => ({ name: `factura-${i + 1}.xml`, xml })),
      zip,
    });
    assert.equal(res.status, 201, await res.clone().text());
  };

  it(
    'an invoice e-mailed to the mailbox and one posted through the API are verified, confirmed with the DGI and acknowledged',
    LIMIT,
    async () => {
      const c = await scenarios.company({ pac: 'sandbox' });
      const call = await api.clientFor(c.id);
      assert.equal(
        (await call('PUT', `/v1/companies/${c.id}/receiving-settings`, { autoAcknowledge: '1002' })).status,
        200,
      );
      const box = await mailbox(c, call, `compras-${c.id}@empresa.test`);
      const mailed = await supplierDocument(c);
      const posted = await supplierDocument(c);
      await mail(box, [mailed.xml], true);
      const read = await call('POST', `/v1/companies/${c.id}/mailbox/read`, {});
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.deepEqual(
        {
          messages: read.body.messages,
          documents: read.body.documents,
          newDocuments: read.body.newDocuments,
        },
        { messages: 1, documents: 1, newDocuments: 1 },
      );
      const sent = await postXml(call, c, posted.xml);
      assert.equal(sent.status, 202, JSON.stringify(sent.body));

      const list = await call(
        'GET',
        `/v1/companies/${c.id}/received?supplier=${simulator.sim.suppliers.ruc}`,
      );
      assert.equal(list.body.items.length, 2);
      for (const cufe of [mailed.cufe, posted.cufe]) {
        const doc = await settled(call, c, cufe, ['accepted']);
        assert.equal(doc.report.verdict, 'valid');
        assert.equal(doc.dgi.answer, 'authorized');
        const acknowledged = await until(`manifestation of ${cufe}`, async () => {
          const r = await call('GET', `/v1/companies/${c.id}/received/${cufe}`);
          return r.body.manifestation?.status === 'accepted' ? r.body : undefined;
        });
        assert.equal(acknowledged.manifestation.code, '1002');
      }
      // A second manifestation by an operator, answered by the PAC.
      const manual = await call('POST', `/v1/companies/${c.id}/received/${sent.body.id}/manifest`, {
        code: '1001',
        actor: 'contabilidad',
      });
      assert.equal(manual.status, 200, JSON.stringify(manual.body));
      assert.equal(manual.body.manifestation.status, 'accepted');
      const registered = simulator.sim.suppliers.manifestations.filter((m) =>
        [mailed.cufe, posted.cufe].includes(m.cufe),
      );
      assert.deepEqual(
        registered.map((m) => `${m.cufe.slice(-6)}:${m.code}`).sort(),
        [
          `${mailed.cufe.slice(-6)}:1002`,
          `${posted.cufe.slice(-6)}:1001`,
          `${posted.cufe.slice(-6)}:1002`,
        ].sort(),
      );
      // The same code twice is refused before anything is sent.
      const again = await call('POST', `/v1/companies/${c.id}/received/${sent.body.id}/manifest`, {
        code: '1001',
        actor: 'contabilidad',
      });
      assert.equal(again.status, 409);
      assert.match(again.body.detail, /already registered/);

      // The message was filed in the done folder; the inbox is empty.
      const client = new ImapFlow({
        host: box.host,
        port: box.port,
        secure: false,
        auth: { user: box.user, pass: box.password },
        logger: false,
      });
      await client.connect();
      try {
        assert.equal((await client.status('INBOX', { messages: true })).messages, 0);
        assert.equal((await client.status('Procesados', { messages: true })).messages, 1);
      } finally {
        await client.logout();
      }
      // A second read finds nothing new.
      const second = await call('POST', `/v1/companies/${c.id}/mailbox/read`, {});
      assert.equal(second.body.messages, 0);
    },
  );

  it('the same invoice by mail and by the API is one record, with both doors', LIMIT, async () => {
    const c = await scenarios.company({ pac: 'sandbox' });
    const call = await api.clientFor(c.id);
    const box = await mailbox(c, call, `dos-puertas-${c.id}@empresa.test`);
    const doc = await supplierDocument(c);
    const first = await postXml(call, c, doc.xml);
    assert.equal(first.status, 202);
    await mail(box, [doc.xml]);
    const read = await call('POST', `/v1/companies/${c.id}/mailbox/read`, {});
    assert.equal(read.body.documents, 1);
    assert.equal(read.body.newDocuments, 0);
    const repeat = await postXml(call, c, doc.xml);
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.id, first.body.id);
    const list = await call('GET', `/v1/companies/${c.id}/received`);
    assert.equal(list.body.items.length, 1);
    assert.deepEqual([...list.body.items[0].sources].sort(), ['api', 'mail']);
  });

  it(
    'a tampered document and one addressed to another company end invalid, each with its reason',
    LIMIT,
    async () => {
      const c = await scenarios.company({ pac: 'sandbox' });
      const other = await scenarios.company({ pac: 'sandbox' });
      const call = await api.clientFor(c.id);
      const doc = await supplierDocument(c);
      const tampered = doc.xml.replace(
        /<dVTot>([0-9.]+)<\/dVTot>/,
        (_m, v: string) => `<dVTot>${(Number(v) + 100).toFixed(2)}</dVTot>`,
      );
      assert.notEqual(tampered, doc.xml);
      const foreign = await supplierDocument(other);
      const a = await postXml(call, c, tampered);
      const b = await postXml(call, c, foreign.xml);
      const invalidA = await settled(call, c, a.body.id as string, ['invalid', 'accepted']);
      const invalidB = await settled(call, c, b.body.id as string, ['invalid', 'accepted']);
      assert.equal(invalidA.status, 'invalid');
      assert.ok(
        invalidA.report.findings.some((f: any) => f.rule === 'digest-mismatch' && f.path === 'Signature'),
        JSON.stringify(invalidA.report.findings),
      );
      assert.equal(invalidB.status, 'invalid');
      const addressee = invalidB.report.findings.find((f: any) => f.rule === 'addressed-to-company');
      assert.equal(addressee?.path, 'gDGen.gDatRec.gRucRec.dRuc');
      assert.match(addressee.message, new RegExp(other.ruc));
      // Nobody asked the DGI about them.
      assert.equal(invalidA.dgi, null);
    },
  );

  it(
    'a later annulment at the DGI is noticed; a CUFE the DGI does not know ends not_at_dgi',
    LIMIT,
    async () => {
      const c = await scenarios.company({ pac: 'sandbox' });
      const call = await api.clientFor(c.id);
      const doc = await supplierDocument(c);
      const unknown = await supplierDocument(c, { registered: false });
      const posted = await postXml(call, c, doc.xml);
      const never = await postXml(call, c, unknown.xml);
      await settled(call, c, posted.body.id as string, ['accepted']);
      assert.equal((await simulator.admin(`/supplier-documents/${doc.cufe}/annul`, {})).status, 200);
      const annulled = await settled(call, c, posted.body.id as string, ['annulled']);
      assert.equal(annulled.dgi.answer, 'annulled');
      const missing = await settled(call, c, never.body.id as string, ['not_at_dgi', 'accepted']);
      assert.equal(missing.status, 'not_at_dgi');
    },
  );

  it(
    'eDoc confirms and takes the manifestation (services 4 and 15); HKA cannot: unconfirmed, "not offered by hka"',
    LIMIT,
    async () => {
      const edoc = await scenarios.company({ pac: 'edoc' });
      const hka = await scenarios.company({ pac: 'hka' });
      const callEdoc = await api.clientFor(edoc.id);
      const callHka = await api.clientFor(hka.id);
      const a = await postXml(callEdoc, edoc, (await supplierDocument(edoc)).xml);
      const b = await postXml(callHka, hka, (await supplierDocument(hka)).xml);
      await settled(callEdoc, edoc, a.body.id as string, ['accepted']);
      const manifested = await callEdoc('POST', `/v1/companies/${edoc.id}/received/${a.body.id}/manifest`, {
        code: '1004',
        reason: 'La mercancia nunca fue entregada al almacen',
        actor: 'compras',
      });
      assert.equal(manifested.status, 200, JSON.stringify(manifested.body));
      assert.equal(manifested.body.manifestation.status, 'accepted');
      assert.ok(simulator.sim.suppliers.manifestations.some((m) => m.via === 'edoc' && m.code === '1004'));
      const unconfirmed = await settled(callHka, hka, b.body.id as string, ['unconfirmed', 'accepted']);
      assert.equal(unconfirmed.status, 'unconfirmed');
      assert.match(unconfirmed.dgi.message, /hka offers no status query/);
      const refused = await callHka('POST', `/v1/companies/${hka.id}/received/${b.body.id}/manifest`, {
        code: '1001',
        actor: 'compras',
      });
      assert.equal(refused.status, 409);
    },
  );

  it('bad input is refused with the rule and nothing is kept; other tenants see nothing', LIMIT, async () => {
    const c = await scenarios.company({ pac: 'sandbox' });
    const intruder = await scenarios.company({ pac: 'sandbox' });
    const call = await api.clientFor(c.id);
    const doc = await supplierDocument(c);
    const cases: Array<[string, string]> = [
      ['<rFE xmlns="http://dgi-fep.mef.gob.pa"><dId>', 'well-formed'],
      [
        `<?xml version="1.0"?><!DOCTYPE rFE [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rFE>&b;</rFE>`,
        'no-dtd',
      ],
      ['<factura/>', 'root'],
      [doc.xml.replace(/<dId>FE/, '<dId>FX'), 'cufe-layout'],
    ];
    for (const [xml, rule] of cases) {
      const res = await postXml(call, c, xml);
      assert.equal(res.status, 400, `${rule}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.issues[0].rule, rule);
    }
    const empty = await fetch(`${api.url}/v1/companies/${c.id}/received`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.keyFor(c.id)}` },
    });
    assert.equal(empty.status, 400);
    const huge = await postXml(call, c, `<rFE>${'x'.repeat(3 * 1024 * 1024)}</rFE>`);
    assert.equal(huge.status, 413);
    assert.equal((await call('GET', `/v1/companies/${c.id}/received`)).body.items.length, 0);

    const kept = await postXml(call, c, doc.xml);
    const spy = await api.clientFor(intruder.id);
    assert.equal((await spy('GET', `/v1/companies/${c.id}/received/${kept.body.id}`)).status, 404);
    assert.equal((await spy('GET', `/v1/companies/${intruder.id}/received/${kept.body.id}`)).status, 404);
    assert.equal((await spy('GET', `/v1/companies/${intruder.id}/received/${doc.cufe}`)).status, 404);
  });

  it('mailbox hosts follow the outbound rule; the password is sealed and never shown', LIMIT, async () => {
    const c = await scenarios.company({ pac: 'sandbox' });
    const call = await api.clientFor(c.id);
    const base = { port: 993, secure: true, username: 'u', password: 'muy-secreto-imap', whenDone: 'flag' };
    for (const [host, rule] of [
      ['10.0.0.5', 'allowed-host'],
      ['localhost', 'allowed-host'],
      ['169.254.169.254', 'allowed-host'],
      ['imap.example.org', 'allowed-host'],
    ]) {
      const res = await call('PUT', `/v1/companies/${c.id}/mailbox`, { ...base, host });
      assert.equal(res.status, 400, host);
      assert.deepEqual([res.body.issues[0].path, res.body.issues[0].rule], ['host', rule]);
    }
    const plain = await call('PUT', `/v1/companies/${c.id}/mailbox`, {
      ...base,
      host: 'imap.gmail.com',
      secure: false,
    });
    assert.equal(plain.body.issues[0].rule, 'tls');
    assert.equal((await call('GET', `/v1/companies/${c.id}/mailbox`)).status, 404);
    const saved = await call('PUT', `/v1/companies/${c.id}/mailbox`, { ...base, host: 'imap.gmail.com' });
    assert.equal(saved.status, 200);
    const shown = await call('GET', `/v1/companies/${c.id}/mailbox`);
    assert.ok(!JSON.stringify(shown.body).includes('muy-secreto-imap'));
    const [row] =
      await testDatabase()`select row_to_json(m)::text as t from company_mailboxes m where company_id = ${c.id}`;
    assert.ok(!String(row!.t).includes('muy-secreto-imap'));
    assert.equal((await call('DELETE', `/v1/companies/${c.id}/mailbox`)).status, 204);
  });

  it('a mailbox down mid-read is read again; each message is taken once', LIMIT, async () => {
    const c = await scenarios.company({ pac: 'sandbox' });
    const call = await api.clientFor(c.id);
    const box = await mailbox(c, call, `caida-${c.id}@empresa.test`);
    const docs = [await supplierDocument(c), await supplierDocument(c)];
    await mail(box, [docs[0]!.xml]);
    await mail(box, [docs[1]!.xml, 'esto no es XML']);
    await imap.stop();
    const reading = call('POST', `/v1/companies/${c.id}/mailbox/read`, {});
    await until('the failed attempt recorded', async () => {
      const [row] = await testDatabase()`select last_error from company_mailboxes where company_id = ${c.id}`;
      return row?.last_error ? true : undefined;
    });
    await imap.start();
    const read = await reading;
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual([read.body.messages, read.body.documents, read.body.refused], [2, 2, 1]);
    const shown = await call('GET', `/v1/companies/${c.id}/mailbox`);
    assert.equal(shown.body.lastError, null);
    assert.equal(shown.body.recentMessages.length, 2);
    assert.equal((await call('GET', `/v1/companies/${c.id}/received`)).body.items.length, 2);
    // The mailbox's password never enters a workflow's history, nor the SDK's logs.
    const env = await testTemporal();
    for await (const w of env.client.workflow.list({
      query: `WorkflowId STARTS_WITH 'mailbox-read:${c.id}'`,
    })) {
      const history = JSON.stringify(await env.client.workflow.getHandle(w.workflowId).fetchHistory());
      assert.ok(history.includes(c.id) && !history.includes(imap.password));
    }
    assert.ok(!capturedSdkLogs.some((line) => line.includes(imap.password)));
  });

  it(
    'fepa received post|list|show|manifest from a terminal; webhooks and search attributes tell support',
    LIMIT,
    async () => {
      const c = await scenarios.company({ pac: 'sandbox' });
      const admin = await api.clientFor(c.id);
      const hooks = await startWebhookReceiver();
      try {
        assert.equal((await admin('PUT', `/v1/companies/${c.id}/webhook`, { url: hooks.url })).status, 200);
        const key = await api.keyFor(c.id, 'operator');
        const dir = await tempDir('fepa-received-cli-');
        const doc = await supplierDocument(c);
        const file = join(dir, 'factura.xml');
        await writeFile(file, doc.xml);
        const fepa = async (...args: string[]) => {
          try {
            const { stdout } = await promisify(execFile)(
              join(PROJECT_ROOT, 'bin', 'fepa.js'),
              ['received', ...args],
              {
                cwd: PROJECT_ROOT,
                env: {
                  PATH: process.env.PATH,
                  HOME: process.env.HOME,
                  FEPA_API_URL: api.url,
                  FEPA_API_KEY: key,
                },
              },
            );
            return { code: 0, stdout };
          } catch (err) {
            const e = err as { code: number; stdout: string; stderr: string };
            return { code: e.code, stdout: `${e.stdout}${e.stderr}` };
          }
        };
        const posted = await fepa('post', file);
        assert.equal(posted.code, 0, posted.stdout);
        assert.match(posted.stdout, new RegExp(doc.cufe));
        const call = await api.clientFor(c.id);
        await settled(call, c, doc.cufe, ['accepted']);
        const listed = await fepa('list', '--status', 'accepted');
        assert.match(listed.stdout, new RegExp(`accepted .*${simulator.sim.suppliers.ruc}`));
        const shown = await fepa('show', doc.cufe);
        assert.match(shown.stdout, /DGI {8}authorized · protocol [0-9]{20}/);
        assert.match(shown.stdout, /checks {5}valid: 0 error\(s\)/);
        const manifested = await fepa('manifest', doc.cufe, '--code', '1003');
        assert.equal(manifested.code, 0, manifested.stdout);
        assert.match(manifested.stdout, /manifestation 1003: accepted/);
        const bad = await fepa('manifest', doc.cufe, '--code', '1003');
        assert.equal(bad.code, 1);
        assert.match(bad.stdout, /409 .*already registered/);

        // The webhook: accepted, then manifested; and the Temporal UI finds it by supplier.
        await until('received.accepted and received.manifested', () => {
          const types = hooks.received.map((r) => (r.body as { type?: string }).type);
          return types.includes('received.accepted') && types.includes('received.manifested')
            ? true
            : undefined;
        });
        const accepted = hooks.received.find(
          (r) => (r.body as { type?: string }).type === 'received.accepted',
        )!.body;
        assert.equal(accepted.received.cufe, doc.cufe);
        const env = await testTemporal();
        const found = await until('visible by SupplierRuc', async () => {
          const ids: string[] = [];
          for await (const w of env.client.workflow.list({
            query: `${SupplierRuc.name} = '${simulator.sim.suppliers.ruc}' AND Cufe = '${doc.cufe}'`,
          }))
            ids.push(w.workflowId);
          return ids.length ? ids : undefined;
        });
        assert.deepEqual(found, [`received:${c.id}:${doc.cufe}`]);
      } finally {
        await hooks.close();
      }
    },
  );

  it(
    "the PAC's reception door (eDoc service 2) brings the company's documents in once; HKA does not offer it",
    LIMIT,
    async () => {
      const edoc = await scenarios.company({ pac: 'edoc' });
      const hka = await scenarios.company({ pac: 'hka' });
      const call = await api.clientFor(edoc.id);
      const docs = [await supplierDocument(edoc), await supplierDocument(edoc)];
      await supplierDocument(hka); // another receiver's: not listed for this company
      const first = await call('POST', `/v1/companies/${edoc.id}/received/pull`, {});
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body, { offered: true, documents: 2, newDocuments: 2, refused: 0 });
      const again = await call('POST', `/v1/companies/${edoc.id}/received/pull`, {});
      assert.equal(again.body.newDocuments, 0);
      for (const d of docs) {
        const row = await settled(call, edoc, d.cufe, ['accepted']);
        assert.deepEqual(row.sources, ['pac']);
      }
      const none = await (await api.clientFor(hka.id))('POST', `/v1/companies/${hka.id}/received/pull`, {});
      assert.equal(none.body.offered, false);
      assert.match(none.body.message, /not offered by hka/);
    },
  );

  it(
    'the intake, fuzzed: mangled, truncated and hostile XML is a 400 (or a record that ends invalid), never a 500',
    LIMIT,
    async () => {
      const c = await scenarios.company({ pac: 'sandbox' });
      const doc = await supplierDocument(c);
      const mangle = fc.oneof(
        fc.record({ at: fc.nat(), cut: fc.nat({ max: 400 }) }).map(({ at, cut }) => {
          const i = at % doc.xml.length;
          return doc.xml.slice(0, i) + doc.xml.slice(i + cut);
        }),
        fc
          .record({
            at: fc.nat(),
            text: fc.constantFrom(
              '<',
              '&',
              ']]>',
              '<!--',
              '<?x?>',
              '\u0000',
              '<!ENTITY a "b">',
              '</rFE>',
              'é',
            ),
          })
          .map(({ at, text }) => {
            const i = at % doc.xml.length;
            return doc.xml.slice(0, i) + text + doc.xml.slice(i);
          }),
        fc.string({ maxLength: 200 }),
      );
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(mangle, async (xml) => {
          const res = await postXml(undefined as unknown as ApiCall, c, xml);
          statuses.add(res.status);
          assert.ok([200, 202, 400].includes(res.status), `${res.status} for ${xml.slice(0, 80)}`);
        }),
        { numRuns: 150 },
      );
      assert.ok(statuses.has(400));
      // Whatever was kept is one record per CUFE, each verified by its workflow.
      const kept = (
        await testDatabase()`select count(*)::int as n, count(distinct cufe)::int as d from received_documents where company_id = ${c.id}`
      )[0]!;
      assert.equal(kept.n, kept.d);
    },
  );
});
