import { fieldIdFor } from './field-ids.js';

/** One thing wrong with a document, precise enough for a person to fix it. */
export interface DocumentIssue {
  /** JSON path in the integrator's document, e.g. `gItem[3].gPrecios.dPrUnit`. */
  path: string;
  /** The DGI field id where the DGI gives one (B07, C201…). */
  field?: string;
  /** Stable machine-readable name of the rule broken, e.g. `pattern`, `required`, `sum-mismatch`. */
  rule: string;
  message: string;
  /** The offending value, when there is one and it is small enough to show. */
  value?: unknown;
}

export type PathSegment = string | number;

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || '(document)';
}

export function issueAt(
  path: ReadonlyArray<PathSegment>,
  rule: string,
  message: string,
  value?: unknown,
): DocumentIssue {
  const issue: DocumentIssue = { path: formatPath(path), rule, message };
  const field = fieldIdFor(path);
  if (field) issue.field = field;
  const shown = showable(value);
  if (shown !== undefined) issue.value = shown;
  return issue;
}

/** Values are echoed back for context, but never huge blobs. */
function showable(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return undefined;
}
