import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { buildApp } from '../api/server.js';
import { PROJECT_ROOT } from '../platform/config/settings.js';
import { SecretBox } from '../platform/secrets/secret-box.js';
import { ApiKeyService } from '../app/services/api-key-service.js';
import { CertificateService } from '../app/services/certificate-service.js';
import { DocumentService } from '../app/services/document-service.js';
import { createBenchCompany } from './bench-company.js';
import { benchDatabase } from './bench-database.js';
import { percentile } from './measure.js';

/**
 * What the API's guards cost per request over real HTTP and PostgreSQL: an authenticated read (key lookup,
 * rate limit, company scope), a refused document (auth + JSON + the whole DGI validation), and an
 * idempotent replay (sealed answer opened). None of these reaches Temporal, so none needs it.
 */
export async function benchApi() {
  const db = await benchDatabase();
  const box = new SecretBox([randomBytes(32)]);
  const keys = new ApiKeyService(db.sql);
  const app = buildApp({
    client: {} as Client,
    sql: db.sql,
    log: pino({ level: 'silent' }),
    namespace: 'default',
    certificates: new CertificateService(db.sql, box, 30),
    documents: new DocumentService({ sql: db.sql, client: {} as Client }),
    keys,
    box,
    bodyLimitBytes: 1_048_576,
    rateLimit: { perMinute: 10_000_000, burst: 1_000_000 },
    webhookAllowedHosts: [],
    webhookSecretOverlapHours: 24,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ruc = '155123456-2-2023';
  const { company, key } = await createBenchCompany(db.sql, { ruc, name: 'BENCH', role: 'admin' });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const invalid = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'docs/examples/invoice-spec-example.json'), 'utf8'),
  ) as {
    gTot: Record<string, unknown>;
  };
  invalid.gTot.dVTotItems = '1.00';
  const invalidBody = JSON.stringify(invalid);

  /** Requests per second with `concurrency` in flight for about `seconds`, and the latency spread. */
  const measure = async (
    request: () => Promise<Response>,
    expected: number,
    seconds = 3,
    concurrency = 8,
  ) => {
    const latencies: number[] = [];
    const stopAt = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < stopAt) {
          const started = performance.now();
          const res = await request();
          await res.arrayBuffer();
          if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}`);
          latencies.push(performance.now() - started);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (p: number) => Math.round(percentile(latencies, p) * 100) / 100;
    return {
      requestsPerSecond: Math.round(latencies.length / seconds),
      p50Ms: at(50),
      p99Ms: at(99),
      concurrency,
    };
  };

  try {
    const me = () => fetch(`${url}/v1/me`, { headers });
    const health = () => fetch(`${url}/healthz`);
    const refused = () =>
      fetch(`${url}/v1/companies/${company.id}/documents`, { method: 'POST', headers, body: invalidBody });
    const keyBody = JSON.stringify({ name: 'replayed', role: 'integrator' });
    const replay = () =>
      fetch(`${url}/v1/companies/${company.id}/keys`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': 'bench-replay' },
        body: keyBody,
      });
    await replay(); // the first answer, stored
    await measure(me, 200, 1); // warm-up
    return {
      note: `one API process, PostgreSQL on ${db.host}, over loopback HTTP`,
      publicHealthz: await measure(health, 200),
      authenticatedRead: await measure(me, 200),
      refusedDocument: await measure(refused, 400),
      idempotentReplay: await measure(replay, 201),
    };
  } finally {
    server.close();
    await db.drop();
  }
}
