import { readRfe } from '../dgi-document/index.js';

/** The receiver's first e-mail address in a signed document, if it has one. */
export function receiverEmail(signedXml: string): string | undefined {
  const read = readRfe(signedXml);
  if (!read.ok) return undefined;
  return [read.document.gDGen.gDatRec.dCorElectRec ?? []].flat()[0];
}
