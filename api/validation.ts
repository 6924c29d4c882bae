import type { z } from 'zod';
import { HttpProblem } from './problem.js';

export interface Issue {
  path: string;
  rule: string;
  message: string;
}

/** The one shape of a 400 for bad input: every issue with the path of the field and the rule it breaks. */
export function invalidRequest(
  issues: Issue[],
  detail = `${issues.length} issue(s) in the request.`,
): HttpProblem {
  return new HttpProblem({
    type: 'validation',
    title: 'The request is not valid',
    status: 400,
    detail,
    issues,
  });
}

/** Validates a part of the request (`where`: body, query); on failure a 400 listing every issue. */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query',
): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const prefix = where === 'query' ? 'query.' : '';
  throw invalidRequest(
    parsed.error.issues.map((issue) => ({
      path: prefix + (issue.path.map(String).join('.') || `(${where})`),
      rule: issue.code,
      message: issue.message,
    })),
    `${parsed.error.issues.length} issue(s) in the request ${where === 'query' ? 'query string' : 'body'}.`,
  );
}

/** Validates a request body; on failure a 400 problem listing every issue with its path and rule. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return parseRequestPart(schema, body, 'body');
}
