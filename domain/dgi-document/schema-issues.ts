import type { z } from 'zod';
import { issueAt, type DocumentIssue, type PathSegment } from './issues.js';

type ZodIssue = z.core.$ZodIssue;

/** Reads the value at a path of the original input, to echo it back next to the issue. */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function ruleOf(issue: ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? 'required' : 'type';
    case 'too_small':
      return issue.origin === 'array' ? 'min-items' : issue.origin === 'string' ? 'min-length' : 'minimum';
    case 'too_big':
      return issue.origin === 'array' ? 'max-items' : issue.origin === 'string' ? 'max-length' : 'maximum';
    case 'invalid_format':
      return 'pattern';
    case 'invalid_value':
      return 'enum';
    case 'custom':
      return typeof issue.params?.rule === 'string' ? issue.params.rule : 'custom';
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
    case 'invalid_union':
    case 'unrecognized_keys':
      return issue.code;
  }
}

function messageOf(issue: ZodIssue, rule: string): string {
  if (rule === 'required') return 'is required';
  if (issue.code === 'invalid_type')
    return `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
  if (issue.code === 'invalid_value' && issue.values.length === 1)
    return `must be ${String(issue.values[0])}`;
  return issue.message;
}

/** Turns zod's issues into DocumentIssues: one per problem, unknown keys one per key. */
export function toDocumentIssues(issues: readonly ZodIssue[], input: unknown): DocumentIssue[] {
  const out: DocumentIssue[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push(issueAt([...path, key], 'unknown-field', 'is not a field of the DGI format here'));
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      out.push(...toDocumentIssues(issue.errors.flat(), input));
      continue;
    }
    const value = valueAt(input, path);
    const rule = ruleOf(issue, value);
    out.push(issueAt(path, rule, messageOf(issue, rule), value));
  }
  return out;
}
