import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { SecretBox } from '../../platform/secrets/secret-box.js';
import type { Sql } from '../../platform/storage/database.js';
import {
  completeIdempotencyKey,
  IDEMPOTENCY_WINDOW_HOURS,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
  type StoredAnswer,
} from '../../platform/storage/idempotency-store.js';
import { HttpProblem } from '../problem.js';
import { invalidRequest } from '../validation.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What makes two requests "the same": method, path and body bytes (or the uploaded file and fields). */
function requestFingerprint(req: Request): Buffer {
  const hash = createHash('sha256').update(`${req.method} ${req.originalUrl}\n`);
  if (req.file) {
    hash.update(req.file.buffer);
    hash.update(JSON.stringify(Object.entries((req.body ?? {}) as object).sort()));
  } else if (req.rawBody) hash.update(req.rawBody);
  else if (typeof req.body === 'string') hash.update(req.body, 'utf8');
  return hash.digest();
}

/**
 * `Idempotency-Key` on a POST: the first successful answer is kept (sealed) for 24 h and replayed for the
 * same key and request; the same key with another request is a 422. A 4xx/5xx answer frees the key: that
 * request changed nothing.
 */
export function idempotency(deps: { sql: Sql; box: SecretBox }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      throw invalidRequest(
        [{ path: 'header.Idempotency-Key', rule: 'format', message: '1-255 printable ASCII' }],
        'Idempotency-Key must be 1 to 255 printable ASCII characters.',
      );
    }
    const companyId = req.caller!.companyId;
    const reservation = await reserveIdempotencyKey(deps.sql, deps.box, {
      companyId,
      key,
      requestHash: requestFingerprint(req),
    });
    switch (reservation.outcome) {
      case 'different-request':
        throw new HttpProblem({
          type: 'idempotency-key-reused',
          title: 'Idempotency-Key used for another request',
          status: 422,
          detail: `This key was used within ${IDEMPOTENCY_WINDOW_HOURS} h for a request with another path or body.`,
        });
      case 'in-progress':
        throw new HttpProblem({
          type: 'idempotency-in-progress',
          title: 'Same request still running',
          status: 409,
          detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
          headers: { 'Retry-After': '1' },
        });
      case 'replay': {
        const { answer } = reservation;
        res.setHeader('Idempotent-Replayed', 'true');
        if (answer.location) res.location(answer.location);
        res.status(answer.status).type(answer.contentType).send(answer.body);
        return;
      }
      case 'reserved':
        break;
    }
    rememberAnswer(deps, req, res, companyId, key);
    next();
  };
}

/** Stores a 2xx answer before it is sent (so a quick retry replays it); anything else frees the key. */
function rememberAnswer(
  deps: { sql: Sql; box: SecretBox },
  req: Request,
  res: Response,
  companyId: string,
  key: string,
): void {
  const send = res.send.bind(res);
  let settled = false;
  res.send = (body?: unknown) => {
    if (settled || res.statusCode < 200 || res.statusCode >= 300) return send(body);
    settled = true;
    const answer: StoredAnswer = {
      status: res.statusCode,
      contentType: String(res.getHeader('content-type') ?? 'application/json'),
      body:
        typeof body === 'string'
          ? body
          : Buffer.isBuffer(body)
            ? body.toString('utf8')
            : JSON.stringify(body),
      ...(res.getHeader('location') ? { location: String(res.getHeader('location')) } : {}),
    };
    completeIdempotencyKey(deps.sql, deps.box, { companyId, key, answer })
      .catch((err: unknown) => req.log.error({ err }, 'could not store the idempotent answer'))
      .finally(() => send(body));
    return res;
  };
  res.on('close', () => {
    if (!settled) {
      settled = true;
      releaseIdempotencyKey(deps.sql, companyId, key).catch((err: unknown) =>
        req.log.error({ err }, 'could not release the idempotency key'),
      );
    }
  });
}
