import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkOutboundUrl,
  guardedFetch,
  OutboundRefused,
  webhookRule,
  type Resolver,
} from '../../platform/outbound/outbound-guard.js';
import { knownPacHosts, PAC_HOSTS, pacAddressRule, type PacName } from '../../pac/pac-hosts.js';

/**
 * Every outbound address a tenant can set, refused unless fepa knows the host or the operator allowed it;
 * internal addresses refused at connection time (DNS rebinding). Nothing here sends traffic anywhere but
 * loopback: resolution is faked, and a loopback server counts the connections it gets (none, for a refusal).
 */
const INTERNAL_URLS = [
  'http://127.0.0.1:8025/',
  'http://127.0.0.1:54329/',
  'http://localhost:7233/',
  'http://[::1]:3000/',
  'http://10.0.0.5/',
  'http://172.16.3.4/',
  'http://192.168.1.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[fd00::1]/',
  'http://0.0.0.0:5432/',
  'http://2130706433/',
];
const OTHER_SCHEMES = [
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
  'ftp://example.com/',
  'ws://x.example/',
];

describe('outbound addresses a tenant can set', () => {
  const pacs = Object.keys(PAC_HOSTS) as PacName[];

  it('a PAC address: loopback, private, link-local and other schemes refused for every PAC, naming the rule', () => {
    for (const pac of pacs) {
      for (const url of [...INTERNAL_URLS, ...OTHER_SCHEMES]) {
        const check = checkOutboundUrl(url, pacAddressRule(pac, []));
        assert.equal(check.ok, false, `${pac} ${url}`);
        if (!check.ok) assert.ok(['allowed-host', 'scheme'].includes(check.rule), `${url}: ${check.rule}`);
      }
    }
  });

  it("a PAC address: the PAC's published hosts over https, and only its own", () => {
    for (const pac of pacs) {
      for (const host of knownPacHosts(pac)) {
        assert.ok(checkOutboundUrl(`https://${host}/x`, pacAddressRule(pac, [])).ok, `${pac} ${host}`);
        const plain = checkOutboundUrl(`http://${host}/x`, pacAddressRule(pac, []));
        assert.ok(!plain.ok && plain.rule === 'https', `${host} without TLS`);
        for (const other of pacs.filter((p) => p !== pac))
          assert.ok(
            !checkOutboundUrl(`https://${host}/x`, pacAddressRule(other, [])).ok,
            `${host} for ${other}`,
          );
      }
    }
    assert.ok(!checkOutboundUrl('https://apim.aludra.cloud.evil.example/', pacAddressRule('aludra', [])).ok);
    assert.ok(!checkOutboundUrl('https://user:pw@apim.aludra.cloud/', pacAddressRule('aludra', [])).ok);
  });

  it("the operator's list: a host, a host on one port, subdomains", () => {
    const allowed = ['127.0.0.1:3100', 'pac.internal.example', '*.pacs.example.net'];
    const rule = pacAddressRule('hka', allowed);
    assert.deepEqual(checkOutboundUrl('http://127.0.0.1:3100/hka', rule), {
      ok: true,
      internalAllowed: true,
    });
    assert.equal(
      checkOutboundUrl('http://127.0.0.1:54329/', rule).ok,
      false,
      'another port of an allowed IP',
    );
    assert.deepEqual(checkOutboundUrl('http://pac.internal.example:8080/', rule), {
      ok: true,
      internalAllowed: true,
    });
    assert.deepEqual(checkOutboundUrl('https://a.pacs.example.net/', rule), {
      ok: true,
      internalAllowed: false,
    });
    assert.equal(checkOutboundUrl('https://pacs.example.net/', rule).ok, false);
  });

  it('a webhook URL: nothing by default, the same refusals', () => {
    for (const url of [...INTERNAL_URLS, ...OTHER_SCHEMES, 'https://erp.example.com/hook'])
      assert.equal(checkOutboundUrl(url, webhookRule([])).ok, false, url);
    const refusal = checkOutboundUrl('http://127.0.0.1:54329/', webhookRule([]));
    assert.ok(!refusal.ok && /FEPA_WEBHOOK_ALLOWED_HOSTS/.test(refusal.message));
  });
});

describe('outbound calls: internal addresses refused before any connection', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  before(async () => {
    server = createServer((_req, res) => res.end('reached'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof OutboundRefused, `expected a refusal, got ${String(err)}`);
    return err;
  };

  it('a published PAC host whose DNS answers an internal address (rebinding): refused, the server never reached', async () => {
    const asked: string[] = [];
    const rebinding: Resolver = (host) => {
      asked.push(host);
      return Promise.resolve(['127.0.0.1']);
    };
    const before = connections;
    const call = guardedFetch(pacAddressRule('edoc', []), rebinding);
    const err = await refusal(
      call(`https://labpa.guru-soft.com:${port}/EdocPanama/4.0/x`, { method: 'GET' }),
    );
    assert.equal(err.refusal, 'OUTBOUND_INTERNAL_ADDRESS');
    assert.deepEqual(asked, ['labpa.guru-soft.com'], 'the check is made where the connection is made');
    assert.equal(connections, before);
  });

  it('every internal address a resolver may answer is refused (property)', async () => {
    const internal = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
      fc
        .tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255))
        .map((p) => p.join('.')),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
      fc.constantFrom('::1', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3'),
    );
    const before = connections;
    await fc.assert(
      fc.asyncProperty(internal, async (address) => {
        const call = guardedFetch(pacAddressRule('hka', []), () => Promise.resolve([address]));
        const err = await refusal(
          call(`https://demoemision.thefactoryhka.com.pa:${port}/`, { method: 'GET' }),
        );
        assert.equal(err.refusal, 'OUTBOUND_INTERNAL_ADDRESS');
      }),
      { numRuns: 100 },
    );
    assert.equal(connections, before);
  });

  it('a host not allowed (any more) is refused before resolving', async () => {
    let resolved = false;
    const call = guardedFetch(pacAddressRule('aludra', []), () => {
      resolved = true;
      return Promise.resolve(['127.0.0.1']);
    });
    const err = await refusal(call(`http://127.0.0.1:${port}/`, { method: 'GET' }));
    assert.equal(err.refusal, 'OUTBOUND_HOST_NOT_ALLOWED');
    assert.equal(resolved, false);
  });

  it("a host the operator lists by name may be internal (the simulator, the operator's own PAC proxy)", async () => {
    const call = guardedFetch(pacAddressRule('sandbox', [`127.0.0.1:${port}`]), () =>
      Promise.resolve(['127.0.0.1']),
    );
    const response = await call(`http://127.0.0.1:${port}/`, { method: 'GET' });
    assert.equal(await response.text(), 'reached');
  });
});
