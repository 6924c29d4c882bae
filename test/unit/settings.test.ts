import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettings, SettingsError } from '../../platform/config/settings.js';
import { searchAttributeFlags } from '../../common/search-attributes.js';

describe('settings', () => {
  it('starts with embedded defaults when nothing is set', () => {
    const s = loadSettings({});
    assert.equal(s.databaseUrl, undefined);
    assert.equal(s.temporalAddress, undefined);
    assert.equal(s.temporalDevPort, 7233);
    assert.equal(s.temporalUiPort, 8233);
    assert.equal(s.apiPort, 3000);
    assert.equal(s.temporalNamespace, 'default');
  });

  it('treats an empty DATABASE_URL as unset rather than as a broken URL', () => {
    assert.equal(loadSettings({ DATABASE_URL: '' }).databaseUrl, undefined);
  });

  it('reads the API guards: limits, trusted proxies, webhook hosts', () => {
    const defaults = loadSettings({});
    assert.deepEqual(
      [defaults.apiTrustProxy, defaults.webhookAllowedHosts, defaults.apiRateLimitPerMinute],
      [false, [], 600],
    );
    const s = loadSettings({
      FEPA_API_TRUST_PROXY: '2',
      FEPA_WEBHOOK_ALLOWED_HOSTS: ' ERP.example.com, *.hooks.example.net ,',
    });
    assert.equal(s.apiTrustProxy, 2);
    assert.deepEqual(s.webhookAllowedHosts, ['erp.example.com', '*.hooks.example.net']);
    assert.equal(
      loadSettings({ FEPA_API_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).apiTrustProxy,
      'loopback, 10.0.0.0/8',
    );
    assert.throws(() => loadSettings({ FEPA_API_RATE_LIMIT_BURST: '0' }), /FEPA_API_RATE_LIMIT_BURST/);
  });

  it('bounds the worker: cache, workflow tasks within the cache, activities', () => {
    const defaults = loadSettings({});
    assert.deepEqual(
      [
        defaults.workerMaxCachedWorkflows,
        defaults.workerMaxConcurrentWorkflowTasks,
        defaults.workerMaxConcurrentActivities,
      ],
      [1000, 40, 100],
    );
    assert.equal(
      loadSettings({ FEPA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '' }).workerMaxConcurrentWorkflowTasks,
      40,
    );
    // A small cache brings the workflow-task default down with it, rather than the SDK overriding it.
    assert.equal(
      loadSettings({ FEPA_WORKER_MAX_CACHED_WORKFLOWS: '20' }).workerMaxConcurrentWorkflowTasks,
      20,
    );
    const set = loadSettings({
      FEPA_WORKER_MAX_CACHED_WORKFLOWS: '50',
      FEPA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '10',
      FEPA_WORKER_MAX_CONCURRENT_ACTIVITIES: '30',
    });
    assert.deepEqual([set.workerMaxConcurrentWorkflowTasks, set.workerMaxConcurrentActivities], [10, 30]);
    assert.throws(
      () =>
        loadSettings({
          FEPA_WORKER_MAX_CACHED_WORKFLOWS: '50',
          FEPA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '60',
        }),
      (err: unknown) =>
        err instanceof SettingsError &&
        /FEPA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed FEPA_WORKER_MAX_CACHED_WORKFLOWS \(50\)/.test(
          err.message,
        ),
    );
    assert.throws(
      () => loadSettings({ FEPA_WORKER_MAX_CACHED_WORKFLOWS: '1' }),
      /FEPA_WORKER_MAX_CACHED_WORKFLOWS/,
    );
  });

  it('names the setting and the rule when a value is invalid', () => {
    assert.throws(
      () => loadSettings({ FEPA_API_PORT: '70000', LOG_LEVEL: 'loud' }),
      (err: unknown) =>
        err instanceof SettingsError && /FEPA_API_PORT/.test(err.message) && /LOG_LEVEL/.test(err.message),
    );
  });
});

describe('search attributes', () => {
  it('lists every attribute support filters on, in the dev server flag form', () => {
    const flags = searchAttributeFlags();
    for (const expected of [
      'DocStatus=Keyword',
      'EmitterRuc=Keyword',
      'Cufe=Keyword',
      'DocType=Keyword',
      'DocNumber=Keyword',
      'Pac=Keyword',
      'CompanyId=Keyword',
      'NeedsPerson=Bool',
    ]) {
      assert.ok(flags.includes(expected), `missing ${expected}`);
    }
  });
});

describe('document timings and the cluster from the environment', () => {
  it('reads FEPA_DOCUMENT_TIMINGS as JSON overrides of known waits', () => {
    const s = loadSettings({ FEPA_DOCUMENT_TIMINGS: '{"pollInitialMs":500,"notFoundSettleMs":30000}' });
    assert.deepEqual(s.documentTimings, { pollInitialMs: 500, notFoundSettleMs: 30000 });
    assert.equal(loadSettings({}).documentTimings, undefined);
  });

  it('refuses unreadable JSON, unknown waits and negative numbers, naming the setting', () => {
    for (const value of ['{poll', '{"pollEveryMs":5}', '{"pollInitialMs":-1}', '[1]'])
      assert.throws(
        () => loadSettings({ FEPA_DOCUMENT_TIMINGS: value }),
        (err: Error) => err.name === 'SettingsError' && /FEPA_DOCUMENT_TIMINGS/.test(err.message),
        value,
      );
  });

  it('keeps cluster membership ports inside what Temporal stores (a smallint)', () => {
    assert.equal(loadSettings({ FEPA_CLUSTER_BASE_PORT: '32747' }).cluster.basePort, 32747);
    assert.throws(
      () => loadSettings({ FEPA_CLUSTER_BASE_PORT: '40000' }),
      /FEPA_CLUSTER_BASE_PORT: at most 32747/,
    );
  });
});
