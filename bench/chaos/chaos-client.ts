/** What one logical request (one Idempotency-Key) ended with. */
export interface ClientOutcome {
  key: string;
  /** The document id, once an API accepted the request (202 or a replayed 200). */
  documentId?: string;
  attempts: number;
  acceptedAt?: number;
  startedAt: number;
  /** 5xx answers that were not an RFC 9457 problem document (a crash page, an empty body). */
  uncleanServerErrors: number;
  serverErrors: number;
  connectionErrors: number;
  /** The last refusal that no retry fixes (4xx), if any. */
  refused?: { status: number; body: string };
}

/**
 * Posts documents the way a careful ERP does: each with its own Idempotency-Key, retried with the same key
 * after a 5xx, a 409 "in progress" or a connection error, spread over the API processes.
 */
export async function postDocuments(options: {
  apis: string[];
  companyId: string;
  apiKey: string;
  documents: Array<{ key: string; body: unknown }>;
  concurrency: number;
  /** Give up on a request after this long (the run reports it as not accepted). */
  giveUpMs: number;
}): Promise<ClientOutcome[]> {
  const outcomes: ClientOutcome[] = [];
  let next = 0;
  let turn = 0;
  const one = async (doc: { key: string; body: unknown }): Promise<ClientOutcome> => {
    const outcome: ClientOutcome = {
      key: doc.key,
      attempts: 0,
      startedAt: Date.now(),
      uncleanServerErrors: 0,
      serverErrors: 0,
      connectionErrors: 0,
    };
    let delay = 200;
    while (Date.now() - outcome.startedAt < options.giveUpMs) {
      const api = options.apis[turn++ % options.apis.length]!;
      outcome.attempts++;
      try {
        const res = await fetch(`${api}/v1/companies/${options.companyId}/documents`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${options.apiKey}`,
            'idempotency-key': doc.key,
          },
          body: JSON.stringify(doc.body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status === 202 || res.status === 200) {
          outcome.documentId = (JSON.parse(text) as { id: string }).id;
          outcome.acceptedAt = Date.now();
          return outcome;
        }
        if (res.status >= 500) {
          outcome.serverErrors++;
          if (!res.headers.get('content-type')?.includes('application/problem+json'))
            outcome.uncleanServerErrors++;
        } else if (res.status !== 409 && res.status !== 429) {
          outcome.refused = { status: res.status, body: text.slice(0, 500) };
          return outcome;
        }
      } catch {
        outcome.connectionErrors++;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
    return outcome;
  };
  const lanes = Array.from({ length: options.concurrency }, async () => {
    while (next < options.documents.length) {
      const doc = options.documents[next++]!;
      outcomes.push(await one(doc));
    }
  });
  await Promise.all(lanes);
  return outcomes;
}
