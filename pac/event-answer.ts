import type { EventAnswer } from './pac-adapter.js';
import type { PacResult } from './pac-result.js';

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
  switch (result.status) {
    case 'annulled':
    case 'authorized':
      return { outcome: 'accepted', ...base };
    case 'transient':
    case 'unknown':
    case 'pending':
      return { outcome: 'transient', ...base };
    default:
      return { outcome: 'refused', ...base };
  }
}
