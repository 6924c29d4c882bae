import type { DgiDocument } from '../validate-document.js';
import { escapeCanonicalText } from './canonical-text.js';
import { DGI_NAMESPACE, RFE_LAYOUT, type Layout, type LayoutNode } from './layout.js';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * The unsigned `rFE` element, in canonical form (no whitespace between elements, C14N escaping, the
 * default namespace on the root only). Elements follow the schema's order; absent values are omitted,
 * never written empty. The same document always gives the same bytes.
 */
export function writeCanonicalRfe(document: DgiDocument): string {
  return `<rFE xmlns="${DGI_NAMESPACE}">${writeGroup(document, RFE_LAYOUT, 'rFE')}</rFE>`;
}

/** The unsigned document with its XML declaration, as `fepa build` prints it. */
export function writeRfeDocument(document: DgiDocument): string {
  return `${XML_DECLARATION}\n${writeCanonicalRfe(document)}`;
}

/** The open and close tags of every layout node, built once (the writer is on the hot path of every build). */
const TAGS = new WeakMap<LayoutNode, { open: string; close: string }>();
const tagsOf = (node: LayoutNode) => {
  let tags = TAGS.get(node);
  if (!tags) TAGS.set(node, (tags = { open: `<${node.name}>`, close: `</${node.name}>` }));
  return tags;
};

function writeGroup(values: Record<string, unknown>, layout: Layout, where: string): string {
  let out = '';
  for (const node of layout) {
    const value = values[node.name];
    if (value === undefined) continue;
    const { open, close } = tagsOf(node);
    if (!node.repeated) out += open + writeValue(value, node, where) + close;
    else
      for (const occurrence of value as unknown[]) out += open + writeValue(occurrence, node, where) + close;
  }
  return out;
}

function writeValue(value: unknown, node: LayoutNode, where: string): string {
  if (node.children) return writeGroup(value as Record<string, unknown>, node.children, node.name);
  if (typeof value !== 'string' || value === '') {
    throw new Error(
      `${where}/${node.name} must be a non-empty string to be written, got ${JSON.stringify(value)}`,
    );
  }
  return escapeCanonicalText(value);
}
