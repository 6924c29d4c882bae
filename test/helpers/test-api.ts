import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { buildApp, type ApiDeps } from '../../api/server.js';
import { SecretBox } from '../../platform/secrets/secret-box.js';
import type { DocumentTimings } from '../../common/document-messages.js';
import { ApiKeyService } from '../../app/services/api-key-service.js';
import { CertificateService } from '../../app/services/certificate-service.js';
import { DocumentService } from '../../app/services/document-service.js';
import type { Sql } from '../../platform/storage/database.js';
import type { Role } from '../../platform/access/roles.js';
import { apiClient, type ApiCall } from './api-client.js';
import { silentLog } from './test-stack.js';

/** One master key per test process: what the API seals, the worker opens. */
export const TEST_MASTER_KEY = randomBytes(32);
export const testSecretBox = new SecretBox([TEST_MASTER_KEY]);

export interface TestApi {
  url: string;
  deps: ApiDeps;
  app: Express;
  /** A new API key of this company and role. */
  keyFor(companyId: string, role?: Role): Promise<string>;
  /** JSON calls with a new key of this company and role (admin unless said otherwise). */
  clientFor(companyId: string, role?: Role): Promise<ApiCall>;
  close(): Promise<void>;
}

/** The real Express app on a random port, with test dependencies unless overridden. */
export async function startTestApi(
  base: {
    client: Client;
    sql: Sql;
    log?: Logger;
    pacTaskQueuePrefix?: string;
    timings?: Partial<DocumentTimings>;
  } & Partial<ApiDeps>,
): Promise<TestApi> {
  const deps: ApiDeps = {
    namespace: 'default',
    log: silentLog,
    certificates: new CertificateService(base.sql, testSecretBox, 30),
    documents: new DocumentService({
      sql: base.sql,
      client: base.client,
      ...(base.taskQueue ? { taskQueue: base.taskQueue } : {}),
      ...(base.pacTaskQueuePrefix ? { pacTaskQueuePrefix: base.pacTaskQueuePrefix } : {}),
      ...(base.timings ? { timings: base.timings } : {}),
    }),
    keys: new ApiKeyService(base.sql),
    box: testSecretBox,
    bodyLimitBytes: 1_048_576,
    rateLimit: { perMinute: 100_000, burst: 10_000 },
    webhookAllowedHosts: ['127.0.0.1'],
    pacAllowedHosts: ['127.0.0.1'],
    webhookSecretOverlapHours: 24,
    ...base,
  };
  const app = buildApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keyFor = async (companyId: string, role: Role = 'admin') =>
    (await deps.keys.create({ companyId, role, name: `test ${role}` })).key;
  return {
    url,
    deps,
    app,
    keyFor,
    clientFor: async (companyId, role) => apiClient(url, await keyFor(companyId, role)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
