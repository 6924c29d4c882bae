import type { Element } from '@xmldom/xmldom';
import { strictRootElement } from '../../domain/dgi-document/xml/strict-dom.js';
import { escapeCanonicalText } from '../../domain/dgi-document/xml/canonical-text.js';
import type { HkaTree, HkaValue } from './hka-mapping.js';

/**
 * HKA's SOAP 1.1 (WCF) envelopes, written and read here and nowhere else (spec hka.md §1–§2). A small
 * typed writer/reader rather than a WSDL-driven client: HKA's operations are nine flat calls whose
 * shapes fit in one table (hka-wire.ts), the reader is strict about what it needs, and no generated code
 * or install script enters the project.
 */
export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const TEMPURI = 'http://tempuri.org/';
export const DATACONTRACT = 'http://schemas.datacontract.org/2004/07/';

/** A parameter of an operation: its element name, its namespace (for nested content) and its value. */
export interface SoapParameter {
  name: string;
  value: HkaValue;
  /** The namespace of the parameter's children (WCF data contracts), e.g. `Services.Model`. */
  contentNamespace?: string;
}

function element(name: string, value: HkaValue, prefix: string): string {
  if (Array.isArray(value)) return value.map((v) => element(name, v, prefix)).join('');
  const tag = `${prefix}:${name}`;
  if (typeof value === 'string') return `<${tag}>${escapeCanonicalText(value)}</${tag}>`;
  const children = Object.entries(value)
    .map(([k, v]) => element(k, v, prefix))
    .join('');
  return `<${tag}>${children}</${tag}>`;
}

/** `<soap:Envelope>` with `<tem:<operation>>` and its parameters. */
export function soapEnvelope(operation: string, parameters: SoapParameter[]): string {
  const namespaces = new Map<string, string>();
  const body = parameters
    .map((p) => {
      if (typeof p.value === 'string' || !p.contentNamespace) return element(p.name, p.value, 'tem');
      const prefix = `d${namespaces.size}`;
      namespaces.set(prefix, `${DATACONTRACT}${p.contentNamespace}`);
      const children = Array.isArray(p.value)
        ? ''
        : Object.entries(p.value)
            .map(([k, v]) => element(k, v, prefix))
            .join('');
      return `<tem:${p.name}>${children}</tem:${p.name}>`;
    })
    .join('');
  const declarations = [...namespaces].map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soap:Envelope xmlns:soap="${SOAP_NS}" xmlns:tem="${TEMPURI}"${declarations}>` +
    `<soap:Body><tem:${operation}>${body}</tem:${operation}></soap:Body></soap:Envelope>`
  );
}

const ELEMENT_NODE = 1;

const childElements = (node: Element): Element[] =>
  Array.from(node.childNodes).filter((n): n is Element => n.nodeType === ELEMENT_NODE);

const isNil = (node: Element) =>
  node.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'nil') === 'true';

/**
 * An element's content by local names: text for a leaf, an object otherwise; names in `lists` are
 * always arrays (one `<item>` is still a list), other repeated names become arrays too. Nil is absent.
 */
export function treeOf(node: Element, lists: ReadonlySet<string>): HkaValue {
  const children = childElements(node);
  if (children.length === 0) return node.textContent ?? '';
  const tree: HkaTree = {};
  for (const child of children) {
    if (isNil(child)) continue;
    const name = child.localName ?? child.nodeName;
    const value = treeOf(child, lists);
    const existing = tree[name];
    if (lists.has(name)) tree[name] = [...((existing as HkaValue[] | undefined) ?? []), value];
    else if (existing === undefined) tree[name] = value;
    else tree[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return tree;
}

export type SoapMessage =
  | { kind: 'body'; operation: string; content: HkaTree }
  | { kind: 'fault'; code: string; message: string }
  | { kind: 'unreadable'; reason: string };

/** Reads an envelope: the first element of the Body (its local name and content), or the Fault. */
export function readSoapMessage(xml: string, lists: ReadonlySet<string> = new Set()): SoapMessage {
  let root: Element | null;
  try {
    root = strictRootElement(xml);
  } catch (err) {
    return { kind: 'unreadable', reason: `not XML: ${(err as Error).message.slice(0, 200)}` };
  }
  if (!root || root.localName !== 'Envelope' || root.namespaceURI !== SOAP_NS)
    return { kind: 'unreadable', reason: 'not a SOAP 1.1 envelope' };
  const body = childElements(root).find((e) => e.localName === 'Body');
  const first = body ? childElements(body)[0] : undefined;
  if (!first) return { kind: 'unreadable', reason: 'empty SOAP body' };
  if (first.localName === 'Fault') {
    const fault = treeOf(first, lists) as HkaTree;
    return {
      kind: 'fault',
      code: typeof fault.faultcode === 'string' ? fault.faultcode : '',
      message: typeof fault.faultstring === 'string' ? fault.faultstring : '',
    };
  }
  const content = treeOf(first, lists);
  return {
    kind: 'body',
    operation: first.localName ?? '',
    content: typeof content === 'string' ? {} : (content as HkaTree),
  };
}

/** A SOAP 1.1 Fault, as WCF writes one. */
export function soapFault(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}"><s:Body><s:Fault>` +
    `<faultcode>${escapeCanonicalText(code)}</faultcode><faultstring>${escapeCanonicalText(message)}</faultstring>` +
    `</s:Fault></s:Body></s:Envelope>`
  );
}

/** A response as HKA's WCF service writes it: `<op>Response><op>Result>` in `Services.Response`. */
export function soapResponse(operation: string, result: HkaTree): string {
  const ns = `${DATACONTRACT}Services.Response`;
  const children = Object.entries(result)
    .map(([k, v]) => element(k, v, 'a'))
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}"><s:Body>` +
    `<${operation}Response xmlns="${TEMPURI}"><${operation}Result xmlns:a="${ns}" ` +
    `xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${children}</${operation}Result>` +
    `</${operation}Response></s:Body></s:Envelope>`
  );
}
