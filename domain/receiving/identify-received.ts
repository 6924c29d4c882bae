import { readXmlTree, type XmlTree } from '../dgi-document/xml/xml-tree.js';
import { DGI_NAMESPACE } from '../dgi-document/xml/layout.js';
import { parseCufe } from '../dgi-document/cufe.js';
import { RECEIVED_LIMITS } from './received-limits.js';

/** Why a text is not a received document fepa can keep at all (nothing is stored for it). */
export interface IntakeRefusal {
  path: string;
  rule: string;
  message: string;
}

/** What names and files a received document: enough to store it and start its workflow. */
export interface ReceivedIdentity {
  cufe: string;
  environment: '1' | '2';
  docType: string;
  supplierRuc: string;
  supplierName: string;
  receiverRuc: string | undefined;
  number: string;
  pointOfSale: string;
  /** `dFechaEm` as written (Panama local time with offset). */
  issuedAt: string;
  /** `gTot/dVTot` as written. */
  total: string;
  itbms: string;
}

export type IdentifyResult = { ok: true; identity: ReceivedIdentity } | { ok: false; refusal: IntakeRefusal };

const refuse = (path: string, rule: string, message: string): IdentifyResult => ({
  ok: false,
  refusal: { path, rule, message },
});

const textAt = (root: XmlTree, ...path: string[]): string => {
  let at: XmlTree | undefined = root;
  for (const name of path) at = at?.children.find((c) => c.name === name);
  return (at?.text ?? '').trim();
};

/**
 * The strict first look at a received XML: its size, no DTD (no entities to expand), well-formed, an
 * `rFE` of the DGI's namespace with a CUFE whose layout and check digit hold. What it cannot read is
 * refused with the path and rule; everything else (signature, addressee, arithmetic) is the verification's.
 */
export function identifyReceived(xml: string): IdentifyResult {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes === 0) return refuse('(document)', 'required', 'the XML document is empty');
  if (bytes > RECEIVED_LIMITS.documentBytes)
    return refuse(
      '(document)',
      'max-size',
      `the XML is ${bytes} bytes; a received document may have at most ${RECEIVED_LIMITS.documentBytes}`,
    );
  // Characters XML 1.0 forbids (NUL and most C0 controls): no parser may take them, and PostgreSQL cannot keep NUL.
  // eslint-disable-next-line no-control-regex -- the control characters are what this looks for
  const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (forbidden)
    return refuse(
      '(document)',
      'xml-character',
      `character U+${forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at ${forbidden.index} is not allowed in XML`,
    );
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    return refuse('(document)', 'no-dtd', 'a DTD or entity declaration is not allowed in an rFE');
  const tree = readXmlTree(xml);
  if (!tree.ok) return refuse('(document)', 'well-formed', `not well-formed XML: ${tree.message}`);
  const { root } = tree;
  if (root.name !== 'rFE' || root.namespaceURI !== DGI_NAMESPACE)
    return refuse('rFE', 'root', `the root must be rFE in namespace ${DGI_NAMESPACE}`);
  const cufe = textAt(root, 'dId');
  const parsed = parseCufe(cufe);
  if (!parsed.ok)
    return refuse('dId', 'cufe-layout', `the CUFE "${cufe.slice(0, 80)}" is not valid: ${parsed.reason}`);
  const environment = textAt(root, 'gDGen', 'iAmb');
  return {
    ok: true,
    identity: {
      cufe,
      environment: environment === '1' ? '1' : '2',
      docType: textAt(root, 'gDGen', 'iDoc') || parsed.fields.iDoc,
      supplierRuc: textAt(root, 'gDGen', 'gEmis', 'gRucEmi', 'dRuc') || parsed.fields.dRuc,
      supplierName: textAt(root, 'gDGen', 'gEmis', 'dNombEm').slice(0, 200),
      receiverRuc: textAt(root, 'gDGen', 'gDatRec', 'gRucRec', 'dRuc') || undefined,
      number: textAt(root, 'gDGen', 'dNroDF') || parsed.fields.dNroDF,
      pointOfSale: textAt(root, 'gDGen', 'dPtoFacDF') || parsed.fields.dPtoFacDF,
      issuedAt: textAt(root, 'gDGen', 'dFechaEm'),
      total: textAt(root, 'gTot', 'dVTot') || '0',
      itbms: textAt(root, 'gTot', 'dTotITBMS') || '0',
    },
  };
}
