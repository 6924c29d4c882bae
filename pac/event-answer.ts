import type { EventAnswer } from './pac-adapter.js';
import type { PacResult, PacStatus } from './pac-result.js';

const EVENT_OUTCOME: Record<PacStatus, EventAnswer['outcome']> = {
  annulled: 'accepted',
  authorized: 'accepted',
  transient: 'transient',
  unknown: 'transient',
  pending: 'transient',
  'not-found': 'refused',
  'rejected-correctable': 'refused',
  duplicate: 'refused',
  'error-needs-support': 'refused',
  'auth-failed': 'refused',
};

/**
 * An event call's unified result as the event's answer: the DGI's 0600 "event registered" (and 0622, one
 * already there) reads as `annulled` in the PAC tables, which for an event means accepted; no answer or an
 * uncertain one is transient (ask again); anything else, the PAC or the DGI refused it.
 */
export function eventAnswerOf(result: PacResult): EventAnswer {
  const base = {
    ...(result.pacCode ? { code: result.dgiIssues[0]?.code ?? result.pacCode } : {}),
    message: result.dgiIssues[0]?.message ?? result.pacMessage ?? '',
    raw: result.raw,
  };
  return { outcome: EVENT_OUTCOME[result.status], ...base };
}
