import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { HttpProblem } from '../problem.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The JSON body's bytes, for the idempotency fingerprint. */
    rawBody?: Buffer;
  }
}

/** Deeper JSON than any real request (the DGI document nests 6 levels) is refused before parsing. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonDepth(bytes: Buffer): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) max = Math.max(max, ++depth);
    else if (b === 0x7d || b === 0x5d) depth--;
  }
  return max;
}

/** JSON bodies: at most `limitBytes`, valid UTF-8 (no silent U+FFFD), nesting at most MAX_JSON_DEPTH. */
export function jsonBody(limitBytes: number) {
  return express.json({
    limit: limitBytes,
    type: ['application/json', 'application/*+json'],
    verify: (req: Request, _res, buf) => {
      try {
        utf8.decode(buf);
      } catch {
        throw new HttpProblem({
          type: 'invalid-utf8',
          title: 'Body is not UTF-8',
          status: 400,
          detail: 'The request body must be UTF-8 encoded JSON.',
        });
      }
      if (jsonDepth(buf) > MAX_JSON_DEPTH) {
        throw new HttpProblem({
          type: 'too-deep',
          title: 'JSON nested too deeply',
          status: 400,
          detail: `The request body nests more than ${MAX_JSON_DEPTH} levels.`,
        });
      }
      req.rawBody = buf;
    },
  });
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? '0') > 0;

/**
 * A route that needs a body refuses a request without one (a `curl -X POST` without `-d`, an empty body of
 * any media type) with a 400 naming the body, before anything reads it: never a 500, never a `PUT` that
 * resets settings to their defaults.
 */
export function requireBody(req: Request, _res: Response, next: NextFunction) {
  const parsed: unknown = req.body;
  const empty =
    parsed === undefined ||
    parsed === null ||
    (typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Object.keys(parsed).length === 0 &&
      !req.rawBody?.length &&
      !req.is('multipart/form-data'));
  if (empty) {
    throw new HttpProblem({
      type: 'validation',
      title: 'The request is not valid',
      status: 400,
      detail: 'This request needs a JSON body (Content-Type: application/json); none was sent.',
      issues: [{ path: '(body)', rule: 'required', message: 'a JSON body is required' }],
    });
  }
  next();
}

/** A body in a media type the route does not read is a 415, not silently ignored. */
export function requireMediaType(types: string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (hasBody(req) && !req.is(types)) {
      throw new HttpProblem({
        type: 'unsupported-media-type',
        title: 'Unsupported media type',
        status: 415,
        detail: `Send the body as ${types.join(' or ')} (got ${req.get('content-type') ?? 'no Content-Type'}).`,
      });
    }
    next();
  };
}
