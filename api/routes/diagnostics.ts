import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { roundtripWorkflowId } from '../../common/roundtrip.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import type { roundtripWorkflow } from '../../workflows/roundtrip-workflow.js';
import { HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';

const RoundtripRequest = z.strictObject({ note: z.string().max(200).default('') });

/**
 * `POST /v1/diagnostics/roundtrip`: API → Temporal → worker → PostgreSQL → back, within a deadline.
 * Where `/readyz` says the servers answer, this says a worker is actually doing the work.
 */
export function diagnosticRoutes(deps: {
  client: Client;
  taskQueue?: string | undefined;
  timeoutMs?: number;
}): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/diagnostics/roundtrip',
      access: 'operator',
      tag: 'Diagnostics',
      summary: 'API → Temporal → worker → PostgreSQL and back',
      body: RoundtripRequest,
      responses: {
        200: {
          description: 'A worker did the work',
          schema: z.object({ workflowId: z.string(), elapsedMs: z.number(), result: z.unknown() }),
        },
        503: { description: 'No worker answered in time' },
        502: { description: 'The round trip failed' },
      },
      handle: (ctx) => roundtrip(deps, ctx.body, ctx.res),
    }),
  ];
}

async function roundtrip(
  deps: { client: Client; taskQueue?: string | undefined; timeoutMs?: number },
  body: z.infer<typeof RoundtripRequest>,
  res: Response,
): Promise<void> {
  const started = Date.now();
  const workflowId = roundtripWorkflowId(randomUUID());
  const handle = await deps.client.workflow.start<typeof roundtripWorkflow>('roundtripWorkflow', {
    taskQueue: deps.taskQueue ?? TASK_QUEUES.documents,
    workflowId,
    args: [{ note: body.note }],
    workflowExecutionTimeout: '1 minute',
  });
  const timeoutMs = deps.timeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HttpProblem({
            type: 'worker-unavailable',
            title: 'No worker answered',
            status: 503,
            detail: `Workflow ${workflowId} was not completed within ${timeoutMs} ms: is a worker polling task queue ${deps.taskQueue ?? TASK_QUEUES.documents}?`,
          }),
        ),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([handle.result(), timeout]);
    res.json({ workflowId, elapsedMs: Date.now() - started, result });
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      throw new HttpProblem({
        type: 'roundtrip-failed',
        title: 'Round trip failed',
        status: 502,
        detail: err.message,
      });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
