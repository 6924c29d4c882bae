import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { pingDatabase, type Sql } from '../../platform/storage/database.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';

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

const Readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.record(
    z.string(),
    z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
  ),
});

/** `/healthz`: the process is up. `/readyz`: Temporal and PostgreSQL both answer, each reported by name. */
export function healthRoutes(deps: { client: Client; sql: Sql; namespace: string }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      access: 'public',
      tag: 'Health',
      summary: 'The API process is up',
      responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
      handle({ res }) {
        res.json({ status: 'ok' });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      access: 'public',
      tag: 'Health',
      summary: 'Temporal and PostgreSQL answer',
      responses: {
        200: { description: 'Ready', schema: Readiness },
        503: { description: 'Not ready; the failing check is named', schema: Readiness },
      },
      async handle({ res }) {
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
      },
    }),
  ];
}
