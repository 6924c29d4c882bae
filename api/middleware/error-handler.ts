import type { NextFunction, Request, Response } from 'express';
import { HttpProblem, sendProblem } from '../problem.js';

/** Body-parser and client errors become 4xx problems; anything else is a 500 without internals. */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof HttpProblem) {
    sendProblem(res, err.problem);
    return;
  }
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
  if (e.type === 'entity.parse.failed') {
    sendProblem(res, {
      type: 'malformed-json',
      title: 'Malformed JSON',
      status: 400,
      detail: 'The request body is not valid JSON.',
    });
    return;
  }
  if (e.type === 'entity.too.large') {
    sendProblem(res, {
      type: 'body-too-large',
      title: 'Request body too large',
      status: 413,
      detail: e.message ?? '',
    });
    return;
  }
  if (e.type === undefined && (err as { name?: string }).name === 'MulterError') {
    const code = (err as { code?: string }).code;
    const status = code === 'LIMIT_FILE_SIZE' ? 413 : 400;
    sendProblem(res, { type: 'bad-upload', title: 'Upload refused', status, detail: e.message ?? '' });
    return;
  }
  const status = e.status ?? e.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    sendProblem(res, { type: 'bad-request', title: 'Bad request', status, detail: e.message ?? '' });
    return;
  }
  req.log.error({ err }, 'unhandled error');
  sendProblem(res, {
    type: 'internal',
    title: 'Internal error',
    status: 500,
    detail: `Something failed on our side. Quote request id ${req.id} to support.`,
  });
}

export function notFoundHandler(req: Request, res: Response): void {
  sendProblem(res, {
    type: 'not-found',
    title: 'Not found',
    status: 404,
    detail: `No route for ${req.method} ${req.path}.`,
  });
}
