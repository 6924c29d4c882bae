import type { Element } from '@xmldom/xmldom';
import { strictRootElement } from './strict-dom.js';
import { issueAt, type DocumentIssue, type PathSegment } from '../issues.js';
import { DocumentSchema, type ParsedDocument } from '../schema/document.js';
import { toDocumentIssues } from '../schema-issues.js';
import { DGI_NAMESPACE, RFE_LAYOUT, XMLDSIG_NAMESPACE, type Layout } from './layout.js';

export interface ReadRfeSuccess {
  ok: true;
  document: ParsedDocument;
  /** `Signature` is present (not verified here; the signing module verifies). */
  signed: boolean;
  /** `gNoFirm/dQRCode`, when present. */
  qrCode?: string;
}
export type ReadRfeResult = ReadRfeSuccess | { ok: false; issues: DocumentIssue[] };

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

/**
 * Reads an `rFE` XML (stored, or returned by a PAC) into the same model integrators send, checking
 * element order against the schema and every value with the document schema.
 */
export function readRfe(xml: string): ReadRfeResult {
  let root: Element | null;
  try {
    root = strictRootElement(xml);
  } catch (err) {
    return {
      ok: false,
      issues: [issueAt([], 'xml', `is not well-formed XML: ${(err as Error).message.split('\n')[0]}`)],
    };
  }
  if (!root || root.localName !== 'rFE' || root.namespaceURI !== DGI_NAMESPACE) {
    return { ok: false, issues: [issueAt([], 'root', `the root must be rFE in namespace ${DGI_NAMESPACE}`)] };
  }
  const issues: DocumentIssue[] = [];
  let signed = false;
  let qrCode: string | undefined;
  const tail = (child: Element): boolean => {
    if (child.localName === 'Signature' && child.namespaceURI === XMLDSIG_NAMESPACE) {
      signed = true;
      return true;
    }
    if (child.localName === 'gNoFirm' && child.namespaceURI === DGI_NAMESPACE) {
      const qr = childElements(child).find((c) => c.localName === 'dQRCode');
      if (qr) qrCode = textOf(qr);
      return true;
    }
    return false;
  };
  const raw = readGroup(root, RFE_LAYOUT, [], issues, tail);
  if (issues.length > 0) return { ok: false, issues };
  const parsed = DocumentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: toDocumentIssues(parsed.error.issues, raw) };
  return { ok: true, document: parsed.data, signed, ...(qrCode === undefined ? {} : { qrCode }) };
}

function childElements(element: Element): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) out.push(node as Element);
  }
  return out;
}

function textOf(element: Element): string {
  let text = '';
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_NODE) text += node.nodeValue ?? '';
  }
  return text;
}

function readGroup(
  element: Element,
  layout: Layout,
  path: PathSegment[],
  issues: DocumentIssue[],
  tail?: (child: Element) => boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let position = 0;
  for (const child of childElements(element)) {
    if (tail?.(child)) continue;
    const index = layout.findIndex((node) => node.name === child.localName);
    const node = layout[index];
    if (!node || child.namespaceURI !== DGI_NAMESPACE) {
      issues.push(
        issueAt(
          [...path, child.localName ?? '?'],
          'unknown-element',
          `is not an element of ${path.length ? String(path.at(-1)) : 'rFE'}`,
        ),
      );
      continue;
    }
    if (index < position) {
      issues.push(
        issueAt(
          [...path, node.name],
          'element-order',
          `is out of the schema's order in ${path.length ? String(path.at(-1)) : 'rFE'}`,
        ),
      );
      continue;
    }
    position = index;
    const existing = out[node.name] as unknown[] | undefined;
    const childPath: PathSegment[] = node.repeated
      ? [...path, node.name, existing?.length ?? 0]
      : [...path, node.name];
    const value = node.children ? readGroup(child, node.children, childPath, issues) : textOf(child);
    if (node.repeated) out[node.name] = [...(existing ?? []), value];
    else if (node.name in out) issues.push(issueAt(childPath, 'repeated-element', 'appears more than once'));
    else out[node.name] = value;
  }
  return out;
}
