import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from '../../platform/access/api-key.js';
import { roleAllows } from '../../platform/access/roles.js';
import { RateLimiter } from '../../api/middleware/rate-limit.js';
import { hostMatch, isInternalAddress } from '../../platform/outbound/allowed-hosts.js';

const hostAllowed = (url: string, allowed: readonly string[]) => hostMatch(url, allowed) !== undefined;

describe('API keys', () => {
  it('are random, carry a findable prefix, and match only their own hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    assert.notEqual(a.key, b.key);
    assert.equal(apiKeyPrefix(a.key), a.prefix);
    assert.ok(apiKeyMatches(a.key, a.hash));
    assert.ok(!apiKeyMatches(b.key, a.hash));
    assert.ok(!apiKeyMatches(`${a.key.slice(0, -1)}${a.key.endsWith('A') ? 'B' : 'A'}`, a.hash));
    assert.equal(apiKeyPrefix('fepa_short_x'), undefined);
    assert.equal(apiKeyPrefix(`${a.key} `), undefined);
    assert.deepEqual(hashApiKey(a.key), a.hash);
  });

  it('roles include the ones below them, never the ones above', () => {
    assert.ok(roleAllows('admin', 'integrator') && roleAllows('operator', 'operator'));
    assert.ok(!roleAllows('integrator', 'operator') && !roleAllows('operator', 'admin'));
  });
});

describe('the rate limiter', () => {
  it('allows a burst, then the sustained rate, per subject', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now); // one a second, three at once
    const take = (who = 'k1') => limiter.take(who).allowed;
    assert.deepEqual([take(), take(), take(), take()], [true, true, true, false]);
    assert.equal(limiter.take('k1').retryAfterSeconds, 1);
    assert.ok(take('k2'), 'another subject has its own bucket');
    now += 1000;
    assert.deepEqual([take(), take()], [true, false], 'one more a second later');
    now += 60_000;
    assert.deepEqual(
      [take(), take(), take(), take()],
      [true, true, true, false],
      'refilled up to the burst only',
    );
  });
});

describe('webhook hosts', () => {
  it('allows only listed hosts and subdomains of `*.` entries', () => {
    const allowed = ['erp.example.com', '*.hooks.example.net'];
    assert.ok(hostAllowed('https://erp.example.com/fepa', allowed));
    assert.ok(hostAllowed('https://ERP.example.com:8443/x', allowed));
    assert.ok(hostAllowed('https://a.hooks.example.net/x', allowed));
    for (const url of [
      'https://hooks.example.net/x',
      'https://evil-erp.example.com/x',
      'https://erp.example.com.evil.io/x',
      'http://169.254.169.254/latest',
      'http://127.0.0.1:7233/',
      'not a url',
    ]) {
      assert.ok(!hostAllowed(url, allowed), url);
    }
    assert.ok(!hostAllowed('https://erp.example.com/', []), 'nothing by default');
    assert.equal(hostMatch('https://erp.example.com/', allowed), 'exact');
    assert.equal(hostMatch('https://a.hooks.example.net/', allowed), 'wildcard');
  });

  it('knows which addresses are inside the network', () => {
    for (const inside of [
      '10.0.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '239.1.1.1',
      'not-an-ip',
    ]) {
      assert.ok(isInternalAddress(inside), inside);
    }
    for (const outside of ['8.8.8.8', '172.32.0.1', '203.0.113.5', '2001:db8::1', '::ffff:8.8.4.4']) {
      assert.ok(!isInternalAddress(outside), outside);
    }
  });
});
