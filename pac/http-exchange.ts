import { OutboundRefused, type OutboundFetch } from '../platform/outbound/outbound-guard.js';
import type { RawExchange } from './pac-result.js';

export type HttpOutcome =
  | { kind: 'response'; status: number; text: string; json: unknown; raw: RawExchange }
  /** No answer within the timeout: the PAC may or may not have committed the request. */
  | { kind: 'timeout'; raw: RawExchange }
  /** The connection failed; `beforeSend` when nothing can have reached the PAC (refused, DNS). */
  | { kind: 'network-error'; beforeSend: boolean; raw: RawExchange };

const REFUSED_BEFORE_SEND = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * One HTTP exchange with a PAC, never retried here. The audit record keeps URL, body and answer but
 * drops headers (they carry credentials and tokens).
 */
export async function exchange(options: {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A body sent as is (SOAP), instead of `body` as JSON. */
  text?: { contentType: string; content: string };
  timeoutMs: number;
  /** What to keep of the request body for audit (defaults to the body itself). */
  auditBody?: unknown;
  /** The guarded fetch of the company's address; refusals (OutboundRefused) are thrown, nothing was sent. */
  fetch?: OutboundFetch;
}): Promise<HttpOutcome> {
  const started = Date.now();
  const request = {
    method: options.method,
    url: options.url.replace(/([?&](?:key|token|password)=)[^&]*/gi, '$1[redacted]'),
    ...(options.body === undefined && !options.text
      ? {}
      : { body: options.auditBody ?? options.body ?? options.text?.content }),
  };
  const payload = options.text
    ? { type: options.text.contentType, content: options.text.content }
    : options.body === undefined
      ? undefined
      : { type: 'application/json', content: JSON.stringify(options.body) };
  try {
    const response = await (options.fetch ?? fetch)(options.url, {
      method: options.method,
      headers: {
        accept: options.text ? options.text.contentType : 'application/json',
        ...(payload ? { 'content-type': payload.type } : {}),
        ...options.headers,
      },
      ...(payload ? { body: payload.content } : {}),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return {
      kind: 'response',
      status: response.status,
      text,
      json,
      raw: {
        request,
        response: { status: response.status, body: text.slice(0, 20_000) },
        elapsedMs: Date.now() - started,
      },
    };
  } catch (err) {
    if (err instanceof OutboundRefused) throw err;
    const e = err as Error & { cause?: { code?: string; errors?: Array<{ code?: string }> } };
    // undici reports a refused connection as `fetch failed` with the code on its cause (or, when several
    // addresses were tried, on each of the cause's errors).
    const code = e.cause?.code ?? e.cause?.errors?.[0]?.code;
    const raw = { request, error: `${e.name}: ${code ?? e.message}`, elapsedMs: Date.now() - started };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { kind: 'timeout', raw };
    return { kind: 'network-error', beforeSend: REFUSED_BEFORE_SEND.has(code ?? ''), raw };
  }
}
