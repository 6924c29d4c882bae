import { DOMParser, type Element } from '@xmldom/xmldom';

/**
 * The root element of an XML text, parsed strictly: any error (not a warning) throws, with the parser's
 * message. One place for how fepa reads XML it did not write (rFE, PAC answers).
 */
export function strictRootElement(xml: string): Element | null {
  const dom = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    },
  }).parseFromString(xml, 'text/xml');
  return dom.documentElement;
}
