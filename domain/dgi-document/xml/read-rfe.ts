import { readXmlTree, type XmlTree } from './xml-tree.js';
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

/**
 * Reads an `rFE` XML (stored, or returned by a PAC) into the same model integrators send, checking
 * element order against the schema and every value with the document schema.
 */
export function readRfe(xml: string): ReadRfeResult {
  const tree = readXmlTree(xml);
  if (!tree.ok) return { ok: false, issues: [issueAt([], 'xml', `is not well-formed XML: ${tree.message}`)] };
  const { root } = tree;
  if (root.name !== 'rFE' || root.namespaceURI !== DGI_NAMESPACE) {
    return { ok: false, issues: [issueAt([], 'root', `the root must be rFE in namespace ${DGI_NAMESPACE}`)] };
  }
  const issues: DocumentIssue[] = [];
  let signed = false;
  let qrCode: string | undefined;
  const tail = (child: XmlTree): boolean => {
    if (child.name === 'Signature' && child.namespaceURI === XMLDSIG_NAMESPACE) {
      signed = true;
      return true;
    }
    if (child.name === 'gNoFirm' && child.namespaceURI === DGI_NAMESPACE) {
      const qr = child.children.find((c) => c.name === 'dQRCode');
      if (qr) qrCode = qr.text;
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

function readGroup(
  element: XmlTree,
  layout: Layout,
  path: PathSegment[],
  issues: DocumentIssue[],
  tail?: (child: XmlTree) => boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let position = 0;
  for (const child of element.children) {
    if (tail?.(child)) continue;
    const index = layout.findIndex((node) => node.name === child.name);
    const node = layout[index];
    if (!node || child.namespaceURI !== DGI_NAMESPACE) {
      issues.push(
        issueAt(
          [...path, child.name || '?'],
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
    const value = node.children ? readGroup(child, node.children, childPath, issues) : child.text;
    if (node.repeated) out[node.name] = [...(existing ?? []), value];
    else if (node.name in out) issues.push(issueAt(childPath, 'repeated-element', 'appears more than once'));
    else out[node.name] = value;
  }
  return out;
}
