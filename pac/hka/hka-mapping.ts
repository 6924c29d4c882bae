import type { DgiDocument } from '../../domain/dgi-document/index.js';
import { issueAt, type DocumentIssue, type PathSegment } from '../../domain/dgi-document/issues.js';
import {
  HKA_ACCOUNT_FIELDS,
  HKA_COMPUTED_FIELDS,
  HKA_EMITTER_DERIVED_FIELDS,
  HKA_FIELDS,
  HKA_POSITIONAL_FIELDS,
} from './hka-fields.js';

/** HKA's `documento` tree: nested objects and arrays of text (HKA's SOAP carries every value as text). */
export type HkaTree = { [name: string]: HkaValue };
export type HkaValue = string | HkaTree | HkaValue[];

interface CompiledPattern {
  regex: RegExp;
  other: string;
}

/** `a.b[].c` → a regex capturing each `[]` position; `[0]` stays literal. */
function compile(pattern: string, other: string): CompiledPattern {
  const source = pattern
    .split(/(\[\d*\])/)
    .map((part) =>
      part === '[]'
        ? '\\[(\\d+)\\]'
        : part.startsWith('[')
          ? `\\${part.slice(0, -1)}\\]`
          : part.replace(/[.*+?^${}()|\\]/g, '\\$&'),
    )
    .join('');
  return { regex: new RegExp(`^${source}$`), other };
}

const toHka = HKA_FIELDS.map(([dgi, hka]) => compile(dgi, hka));
const toDgi = HKA_FIELDS.map(([dgi, hka]) => compile(hka, dgi));
const notSent = [...HKA_ACCOUNT_FIELDS, ...HKA_COMPUTED_FIELDS].map((p) => compile(p, '').regex);
const positional = HKA_POSITIONAL_FIELDS.map((p) => compile(p, '').regex);
const derived = HKA_EMITTER_DERIVED_FIELDS.map(([dgi, emitter]) => ({ ...compile(dgi, emitter) }));

/** The path on the other side, with the positions of `[]` carried over in order. */
function translate(path: string, patterns: CompiledPattern[]): string | undefined {
  for (const { regex, other } of patterns) {
    const match = regex.exec(path);
    if (!match) continue;
    let position = 1;
    return other.replace(/\[\]/g, () => `[${match[position++]}]`);
  }
  return undefined;
}

/** Every leaf of a tree as `[path, text]`, arrays by position (`a.b[2].c`). */
export function leaves(value: unknown, path = ''): Array<[string, string]> {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, typeof value === 'string' ? value : JSON.stringify(value)]];
}

export function segmentsOf(path: string): PathSegment[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const segments = segmentsOf(path);
  let node: Record<string | number, unknown> = target;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    node[segment] ??= typeof segments[i + 1] === 'number' ? [] : {};
    node = node[segment] as Record<string | number, unknown>;
  });
}

const valueAt = (tree: unknown, path: string): unknown =>
  segmentsOf(path).reduce<unknown>((node, s) => (node as Record<string | number, unknown>)?.[s], tree);

/** HKA's `documento` as a tree of element names in the table's order (`list`: a repeated element). */
export interface HkaShape {
  list: boolean;
  children: Map<string, HkaShape>;
}

export const HKA_DOCUMENTO_SHAPE: HkaShape = (() => {
  const root: HkaShape = { list: false, children: new Map() };
  for (const [, hka] of HKA_FIELDS) {
    let node = root;
    for (const part of hka.split('.')) {
      const [, name, index] = /^([^[]+)(?:\[(\d*)\])?$/.exec(part)!;
      const child = node.children.get(name!) ?? { list: index === '', children: new Map() };
      node.children.set(name!, child);
      node = child;
    }
  }
  return root;
})();

/** The tree with its elements in the shape's order (WCF reads a data contract's members in order). */
function ordered(value: unknown, shape: HkaShape): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, shape));
  if (!value || typeof value !== 'object') return value;
  const tree = value as Record<string, unknown>;
  return Object.fromEntries(
    [...shape.children]
      .filter(([name]) => tree[name] !== undefined)
      .map(([name, child]) => [name, ordered(tree[name], child)]),
  );
}

export type HkaMapping = { ok: true; documento: HkaTree } | { ok: false; issues: DocumentIssue[] };

/**
 * fepa's validated document as HKA's `documento`: each field through the one table. A field HKA cannot
 * carry (no name in the table, not held by the account, not computed by HKA) is an issue naming it.
 */
export function toHkaDocumento(document: DgiDocument): HkaMapping {
  const documento: Record<string, unknown> = {};
  const issues: DocumentIssue[] = [];
  for (const [path, value] of leaves(document)) {
    const hkaPath = translate(path, toHka);
    if (hkaPath) {
      setPath(documento, hkaPath, value);
      continue;
    }
    if (notSent.some((r) => r.test(path))) continue;
    const position = positional.map((r) => r.exec(path)).find(Boolean);
    if (position) {
      if (Number(value) !== Number(position.at(-1)) + 1)
        issues.push(
          issueAt(
            segmentsOf(path),
            'hka-sequence',
            `The Factory HKA numbers these by position: this one must be ${Number(position.at(-1)) + 1}`,
            value,
          ),
        );
      continue;
    }
    const emitterPath = translate(path, derived);
    if (emitterPath !== undefined) {
      const own = String(valueAt(document, emitterPath));
      if (own !== value)
        issues.push(
          issueAt(
            segmentsOf(path),
            'hka-reference-emitter',
            `The Factory HKA takes referenced documents of the emitter itself only (${own}); this one is another emitter's`,
            value,
          ),
        );
      continue;
    }
    issues.push(
      issueAt(
        segmentsOf(path),
        'hka-unsupported',
        'The Factory HKA has no field for this: it builds the document from its own fields, so it would be lost',
        value,
      ),
    );
  }
  if (issues.length) return { ok: false, issues };
  return { ok: true, documento: ordered(documento, HKA_DOCUMENTO_SHAPE) as HkaTree };
}

/** What HKA knows from the account behind the tokens. */
export interface HkaAccountData {
  environment: '1' | '2';
  emitter: DgiDocument['gDGen']['gEmis'];
}

/**
 * HKA's `documento` back in the DGI's names (what HKA does before it signs; the simulator uses it, and
 * the round trip proves the table loses nothing). Unknown HKA fields are returned as `unknown`.
 */
export function fromHkaDocumento(
  documento: unknown,
  account: HkaAccountData,
): { document: Record<string, unknown>; unknown: string[] } {
  const document: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [path, value] of leaves(documento)) {
    const dgiPath = translate(path, toDgi);
    if (dgiPath) setPath(document, dgiPath, value);
    else unknown.push(path);
  }
  const gDGen = (document.gDGen ??= {}) as Record<string, unknown>;
  const { dSucEm: _branch, ...emitter } = account.emitter;
  gDGen.iAmb = account.environment;
  gDGen.gEmis = { ...emitter, ...(gDGen.gEmis as object) };
  (document.gItem as Array<Record<string, unknown>> | undefined)?.forEach((item, i) => {
    item.dSecItem = String(i + 1);
  });
  const gTot = document.gTot as { gPagPlazo?: Array<Record<string, unknown>> } | undefined;
  gTot?.gPagPlazo?.forEach((instalment, i) => {
    instalment.dSecItem = String(i + 1);
  });
  for (const reference of (gDGen.gDFRef as Array<Record<string, unknown>> | undefined) ?? []) {
    reference.gRucEmDFRef = account.emitter.gRucEmi;
    reference.dNombEmRef = account.emitter.dNombEm;
  }
  return { document, unknown };
}
