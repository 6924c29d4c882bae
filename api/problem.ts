import type { Response } from 'express';

/** One error shape for every 4xx/5xx: RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  issues?: Array<{ path: string; rule: string; message: string }>;
  /** Response headers that go with the problem (`Retry-After`, `WWW-Authenticate`); not in the body. */
  headers?: Record<string, string>;
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://fepa.dev/problems/';

/** `problem.type` is a short slug; it is sent as a URI under PROBLEM_BASE. */
export function sendProblem(res: Response, problem: Problem): void {
  const { headers, ...body } = problem;
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ ...body, type: `${PROBLEM_BASE}${problem.type}` });
}

/** An error a route throws on purpose; the error handler turns it into problem details. */
export class HttpProblem extends Error {
  /** Read by Express's body parser when the problem is thrown from its `verify` hook. */
  readonly status: number;

  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
  }
}

/** A company the key does not belong to answers exactly like one that does not exist. */
export function companyNotFound(companyId: string): HttpProblem {
  return new HttpProblem({
    type: 'not-found',
    title: 'Company not found',
    status: 404,
    detail: `There is no company ${companyId}.`,
  });
}
