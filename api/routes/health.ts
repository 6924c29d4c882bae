import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { pingDatabase, type Sql } from '../../storage/database.js';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function timed(probe: () => Promise<{ ok: boolean; error?: string }>): Promise<Check> {
  const started = Date.now();
  const result = await probe();
  return { ...result, latencyMs: Date.now() - started };
}

/** `/healthz`: the process is up. `/readyz`: Temporal and PostgreSQL both answer, each reported by name. */
export function healthRoutes(deps: { client: Client; sql: Sql; namespace: string }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [temporal, postgres] = await Promise.all([
      timed(async () => {
        try {
          await deps.client.connection.withDeadline(Date.now() + 3_000, () =>
            deps.client.workflowService.describeNamespace({ namespace: deps.namespace }),
          );
          return { ok: true };
        } catch (err) {
          return { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      }),
      timed(() => pingDatabase(deps.sql)),
    ]);
    const ready = temporal.ok && postgres.ok;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: { temporal, postgres } });
  });
  return router;
}
