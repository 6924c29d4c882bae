import type { Element } from '@xmldom/xmldom';
import { scanXml } from './fast-scan.js';
import { strictRootElement } from './strict-dom.js';

/** An element as fepa's readers need it: name, namespace, child elements, own text (CDATA included). */
export interface XmlTree {
  name: string;
  namespaceURI: string | null;
  children: XmlTree[];
  text: string;
}

function fromDom(element: Element): XmlTree {
  const children: XmlTree[] = [];
  let text = '';
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) children.push(fromDom(node as Element));
    else if (node.nodeType === 3 || node.nodeType === 4) text += node.nodeValue ?? '';
  }
  return { name: element.localName ?? '', namespaceURI: element.namespaceURI, children, text };
}

/**
 * The document's element tree: from the fast reader (fast-scan.ts) when it can read it, else from the strict
 * DOM parser, which then decides whether the text is XML at all (its message names the first fault).
 */
export function readXmlTree(xml: string): { ok: true; root: XmlTree } | { ok: false; message: string } {
  const scanned = scanXml(xml);
  if (scanned.kind === 'ok') return { ok: true, root: scanned.root };
  try {
    const root = strictRootElement(xml);
    if (!root) return { ok: false, message: 'no root element' };
    return { ok: true, root: fromDom(root) };
  } catch (err) {
    return { ok: false, message: (err as Error).message.split('\n')[0] ?? 'not XML' };
  }
}
