import type { DgiDocument } from '../validate-document.js';
import { escapeCanonicalText } from './canonical-text.js';
import { DGI_NAMESPACE, RFE_LAYOUT, type Layout } from './layout.js';

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

function writeGroup(values: Record<string, unknown>, layout: Layout, where: string): string {
  let out = '';
  for (const node of layout) {
    const value = values[node.name];
    if (value === undefined) continue;
    const occurrences = node.repeated ? (value as unknown[]) : [value];
    for (const occurrence of occurrences) {
      if (node.children) {
        out += `<${node.name}>${writeGroup(occurrence as Record<string, unknown>, node.children, node.name)}</${node.name}>`;
      } else {
        if (typeof occurrence !== 'string' || occurrence === '') {
          throw new Error(
            `${where}/${node.name} must be a non-empty string to be written, got ${JSON.stringify(occurrence)}`,
          );
        }
        out += `<${node.name}>${escapeCanonicalText(occurrence)}</${node.name}>`;
      }
    }
  }
  return out;
}
