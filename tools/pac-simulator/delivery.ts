import type { Response } from 'express';
import type { SubmissionPlan } from './scenario-script.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delivers an answer the way the scenario says: late, never (connection dropped), or mangled. */
export async function deliver(
  res: Response,
  plan: SubmissionPlan | undefined,
  latencyMs: number,
  send: () => void,
): Promise<void> {
  await sleep(latencyMs + (plan?.delayMs ?? 0));
  switch (plan?.delivery ?? 'normal') {
    case 'lose-reply':
      // The document is stored; the client never hears so (the duplicate-generating failure).
      res.socket?.destroy();
      return;
    case 'malformed:html':
      res
        .status(200)
        .type('html')
        .send('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
      return;
    case 'malformed:empty':
      res.status(200).end();
      return;
    case 'malformed:json':
      res.status(200).json({ unexpected: true, detail: 'not the envelope you expected' });
      return;
    case 'normal':
      send();
  }
}

export function serverError(res: Response): void {
  res.status(500).type('html').send('<html><body><h1>500 Internal Server Error</h1></body></html>');
}
