import type { WorkflowHandle } from '@temporalio/client';
import type { DocumentState, DocumentStatus } from '../../common/document-lifecycle.js';
import { getDocumentState } from '../../common/document-messages.js';

/** Polls the workflow's state query until it reaches `status` (or fails after `timeoutMs`). */
export async function waitForStatus(
  handle: WorkflowHandle,
  status: DocumentStatus,
  timeoutMs = 30_000,
): Promise<DocumentState> {
  const deadline = Date.now() + timeoutMs;
  let last: DocumentState | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(getDocumentState);
      if (last.status === status) return last;
    } catch {
      // not started yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pendingActivities = (await handle.describe()).raw.pendingActivities?.map((a) => ({
    type: a.activityType?.name,
    attempt: a.attempt,
    state: a.state,
    lastFailure: a.lastFailure?.message,
  }));
  throw new Error(
    `document did not reach ${status}; last state: ${JSON.stringify(last?.status)} ${JSON.stringify(last?.history.map((h) => h.status))}; pending activities: ${JSON.stringify(pendingActivities)}; last PAC answer: ${JSON.stringify(last?.lastPac)}`,
  );
}

/** Polls `check` every 100 ms until it gives a value (or fails after `ms`, naming what it waited for). */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
