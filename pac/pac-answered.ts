import type { PacResult } from './pac-result.js';

/** Gateway answers that mean the PAC behind them is down (a load balancer in front of a dead PAC). */
const GATEWAY_DOWN = new Set([502, 503, 504]);

/**
 * Whether the PAC answered the call at all (any verdict, even an error, is an answer). No response
 * (refused, reset, timed out) or a gateway's "down" page is not: those calls are the evidence a
 * contingency opens on.
 */
export function pacAnswered(result: PacResult): boolean {
  const status = result.raw.response?.status;
  return status !== undefined && !GATEWAY_DOWN.has(status);
}

/** One line saying why a call got no answer (for the contingency's evidence). */
export function unansweredReason(result: PacResult): string {
  const r = result.raw;
  return r.response
    ? `HTTP ${r.response.status} from ${r.request.url}`
    : `${r.error ?? 'no answer'} (${r.request.url})`;
}
