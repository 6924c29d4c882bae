import type { z } from 'zod';
import { HttpProblem } from './problem.js';

/** Validates a request body; on failure a 400 problem listing every issue with its path and rule. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new HttpProblem({
    type: 'validation',
    title: 'The request is not valid',
    status: 400,
    detail: `${parsed.error.issues.length} issue(s) in the request body.`,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(body)',
      rule: issue.code,
      message: issue.message,
    })),
  });
}
