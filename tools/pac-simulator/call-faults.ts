import type { Response } from 'express';
import { ScenarioError } from './scenario-script.js';
import type { SimDocument } from './sim-types.js';

/**
 * Faults of the calls that follow a submission (status queries, annulments), scripted per document:
 * each matching call takes the next step. What a PAC's infrastructure does to fepa while it asks what
 * the PAC holds: a 500 (nothing done), a refused credential (nothing done), a late answer, or the
 * operation done and its reply lost.
 */
export type CallFault =
  | { kind: 'ok' }
  | { kind: 'http-500' }
  | { kind: 'auth-failed' }
  | { kind: 'lose-reply' }
  | { kind: 'not-found' }
  | { kind: 'hang'; ms: number };

export type CallOperation = 'query' | 'annul' | 'manifest';

export interface CallFaultRule {
  id: string;
  operation: CallOperation;
  match: { ruc?: string; number?: string };
  steps: string[];
}

export function parseCallFault(text: string): CallFault {
  const [name, arg] = text.split(':') as [string, string | undefined];
  switch (name) {
    case 'ok':
    case 'http-500':
    case 'auth-failed':
    case 'lose-reply':
    case 'not-found':
      return { kind: name };
    case 'hang': {
      const ms = Number(arg);
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
        throw new ScenarioError(`"${text}": hang needs milliseconds, e.g. hang:40000`);
      return { kind: 'hang', ms };
    }
    default:
      throw new ScenarioError(
        `unknown call fault "${text}" (ok, http-500, auth-failed, lose-reply, not-found, hang:<ms>)`,
      );
  }
}

export const matchesDocument = (rule: CallFaultRule, doc: SimDocument) =>
  (rule.match.ruc === undefined || rule.match.ruc === doc.ruc) &&
  (rule.match.number === undefined || Number(rule.match.number) === Number(doc.number));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a call under its fault: `refuse` answers an auth failure in the PAC's format; `operate` does the
 * operation and returns the answer to send (unless the reply is lost); with `missing` it answers as if
 * the PAC held no such document (a PAC still working on a submission whose reply was lost does).
 * Returns nothing: it answers.
 */
export async function underFault(
  res: Response,
  fault: CallFault | undefined,
  refuse: () => void,
  operate: (missing: boolean) => Promise<(() => void) | undefined>,
): Promise<void> {
  if (fault?.kind === 'http-500') {
    res.status(500).type('html').send('<html><body><h1>500 Internal Server Error</h1></body></html>');
    return;
  }
  if (fault?.kind === 'auth-failed') return refuse();
  if (fault?.kind === 'hang') await sleep(fault.ms);
  const send = await operate(fault?.kind === 'not-found');
  if (fault?.kind === 'lose-reply') {
    res.socket?.destroy();
    return;
  }
  send?.();
}
