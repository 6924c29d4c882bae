import assert from 'node:assert/strict';
import { withWorkerMemoryTuning } from '../../worker/memory-tuning.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadSettings, PROJECT_ROOT, SETTING_NAMES } from '../../platform/config/settings.js';
import { clusterConfigYaml } from '../../tools/dev-stack/temporal-cluster-config.js';
import {
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
} from '../../tools/dev-stack/temporal-server-binary.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
}

const compose = parse(await readFile(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const fepaProcesses = ['api', 'worker'] as const;

/** Read by Node and glibc, not by fepa's settings: the worker's memory tuning. */
const PROCESS_VARIABLES = ['MALLOC_ARENA_MAX', 'NODE_OPTIONS'];

describe('docker-compose.yml', () => {
  it('has every service fepa needs, each long-running one with a health check', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'pac-simulator', 'api', 'worker']) {
      assert.ok(services[name], `service ${name} is missing`);
      assert.ok(services[name]?.healthcheck?.test.length, `service ${name} has no health check`);
    }
  });

  it('builds every fepa process from the Dockerfile and runs its real entry point, compiled', async () => {
    // Compiled in the image's build stage (npm run build → dist/): plain node, no tsx loader.
    const entries = {
      api: 'api/main',
      worker: 'worker/main',
      migrate: 'platform/storage/migrate-cli',
      'pac-simulator': 'tools/pac-simulator/main',
    };
    for (const [name, entry] of Object.entries(entries)) {
      assert.ok(services[name]?.build, `${name} is built from the Dockerfile`);
      assert.deepEqual(services[name]?.command, ['node', `dist/${entry}.js`], `${name} runs compiled`);
      await readFile(join(PROJECT_ROOT, `${entry}.ts`)); // the source the build compiles exists
    }
    const dockerfile = await readFile(join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /RUN npm run build/);
    assert.match(dockerfile, /COPY --from=build \/app\/dist \.\/dist/);
    assert.match(dockerfile, /CMD \["node", "dist\/api\/main\.js"\]/);
    const build = JSON.parse(await readFile(join(PROJECT_ROOT, 'tsconfig.build.json'), 'utf8')) as {
      exclude: string[];
    };
    for (const entry of Object.values(entries))
      assert.ok(!build.exclude.includes(entry.split('/')[0]!), `${entry} is compiled by npm run build`);
  });

  it('sets only settings fepa knows, with values its settings parser accepts', () => {
    for (const name of fepaProcesses) {
      const env = services[name]?.environment ?? {};
      for (const key of Object.keys(env)) {
        if (PROCESS_VARIABLES.includes(key)) continue;
        assert.ok((SETTING_NAMES as string[]).includes(key), `${name} sets unknown setting ${key}`);
      }
      assert.doesNotThrow(() => loadSettings(env));
    }
  });

  it("tunes the worker's memory as npm start and the cluster do (worker/memory-tuning.ts)", () => {
    const env = services.worker?.environment ?? {};
    const tuned = withWorkerMemoryTuning({});
    assert.equal(env.MALLOC_ARENA_MAX, tuned.MALLOC_ARENA_MAX);
    assert.equal(env.NODE_OPTIONS, tuned.NODE_OPTIONS);
  });

  it('points fepa at the compose PostgreSQL with the credentials that server is created with', () => {
    const pg = services.postgresql?.environment ?? {};
    const url = new URL(services.api?.environment?.DATABASE_URL ?? '');
    assert.equal(url.hostname, 'postgresql');
    assert.equal(url.port, '5432');
    assert.equal(url.username, pg.POSTGRES_USER);
    assert.equal(url.password, pg.POSTGRES_PASSWORD);
    assert.equal(url.pathname, `/${pg.POSTGRES_DB}`);
    assert.equal(services.temporal?.environment?.POSTGRES_SEEDS, 'postgresql');
  });

  it('needs a master key from the operator, and points the sandbox PAC at the simulator service', () => {
    assert.match(services.api?.environment?.FEPA_MASTER_KEY ?? '', /^\$\{FEPA_MASTER_KEY:\?/);
    const simulatorUrl = new URL(services.worker?.environment?.FEPA_SIMULATOR_URL ?? '');
    assert.equal(simulatorUrl.hostname, 'pac-simulator');
    assert.equal(simulatorUrl.port, services['pac-simulator']?.environment?.FEPA_SIMULATOR_PORT);
  });

  it('agrees on the Temporal address and the API port everywhere they appear', () => {
    const api = services.api?.environment ?? {};
    assert.equal(api.TEMPORAL_ADDRESS, 'temporal:7233');
    assert.equal(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS, api.TEMPORAL_ADDRESS);
    assert.ok(services.temporal?.ports?.some((p) => p.endsWith(':7233')));
    const apiPort = loadSettings(api).apiPort;
    assert.ok(
      services.api?.ports?.some((p) => p.endsWith(`:${apiPort}`)),
      'API port is published',
    );
    assert.match(services.api?.healthcheck?.test.join(' ') ?? '', new RegExp(`:${apiPort}/readyz`));
    assert.equal(loadSettings(api).apiHost, '0.0.0.0', 'the API listens outside its container');
  });

  it('runs the Temporal server the local cluster runs (version, PostgreSQL plugin, history shards)', () => {
    const temporal = services.temporal ?? {};
    assert.equal(temporal.image, `temporalio/auto-setup:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`);
    // npm run cluster builds the same UI release the compose file runs.
    assert.equal(services['temporal-ui']?.image, `temporalio/ui:${TEMPORAL_UI_VERSION.replace(/^v/, '')}`);
    assert.equal(temporal.environment?.DB, 'postgres12');
    const local = parse(
      clusterConfigYaml({
        database: { host: 'h', port: 5432, user: 'u', password: 'p', temporal: 't', visibility: 'v' },
        historyShards: loadSettings({}).cluster.historyShards,
        basePort: 7233,
        dynamicConfigFile: 'd.yaml',
      }),
    ) as {
      persistence: { numHistoryShards: number; datastores: Record<string, { sql: { pluginName: string } }> };
    };
    for (const store of Object.values(local.persistence.datastores))
      assert.equal(store.sql.pluginName, temporal.environment?.DB);
    assert.equal(Number(temporal.environment?.NUM_HISTORY_SHARDS), local.persistence.numHistoryShards);
  });
});
