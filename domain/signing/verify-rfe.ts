import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { C14nCanonicalization, ExclusiveCanonicalization } from 'xml-crypto';
import { DGI_NAMESPACE, XMLDSIG_NAMESPACE } from '../dgi-document/xml/layout.js';
import { SIGNATURE_PROFILE } from './signature-profile.js';

export type VerifyFailure =
  | 'not-xml'
  | 'no-signature'
  | 'unsupported-algorithm'
  | 'no-certificate'
  | 'certificate-mismatch'
  | 'digest-mismatch'
  | 'signature-mismatch';

export type VerifyResult =
  | { ok: true; digestValue: string; certificate: X509Certificate }
  | { ok: false; failure: VerifyFailure; reason: string };

const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

const fail = (failure: VerifyFailure, reason: string): VerifyResult => ({ ok: false, failure, reason });

function child(parent: Element, name: string, namespace = XMLDSIG_NAMESPACE): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    const e = n as Element;
    if (n.nodeType === 1 && e.localName === name && e.namespaceURI === namespace) return e;
  }
  return undefined;
}

const text = (element: Element | undefined) => (element?.textContent ?? '').replace(/\s+/g, '');

/**
 * Prefixed namespace declarations in scope at `element` from its ancestors (inclusive C14N renders
 * them). The default namespace is left out: xml-crypto renders it from the element itself.
 */
function ancestorNamespaces(element: Element): Array<{ prefix: string; namespaceURI: string }> {
  const seen = new Map<string, string>();
  for (let node: Node | null = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attr = attributes.item(i)!;
      const prefix = attr.name.startsWith('xmlns:') ? attr.name.slice(6) : undefined;
      if (prefix !== undefined && !seen.has(prefix)) seen.set(prefix, attr.value);
    }
  }
  return [...seen].map(([prefix, namespaceURI]) => ({ prefix, namespaceURI }));
}

function canonicalize(node: Element, algorithm: string): string {
  const c14n = algorithm === EXC_C14N ? new ExclusiveCanonicalization() : new C14nCanonicalization();
  return c14n.process(node, { ancestorNamespaces: ancestorNamespaces(node) });
}

/**
 * Verifies a signed `rFE` per the DGI profile and says which part fails: the document changed after
 * signing (`digest-mismatch`), the signature or SignedInfo does not hold (`signature-mismatch`),
 * an unexpected algorithm, a missing certificate. `gNoFirm` (the QR, outside the signature) is removed
 * first, as the DGI and the PACs do. With `certificate`, the signer must be that certificate.
 */
export function verifySignedRfe(
  xml: string,
  options: { certificate?: X509Certificate; rootName?: string } = {},
): VerifyResult {
  const rootName = options.rootName ?? 'rFE';
  let root: Element | null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml').documentElement;
  } catch (err) {
    return fail('not-xml', `not well-formed XML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!root || root.localName !== rootName || root.namespaceURI !== DGI_NAMESPACE)
    return fail('not-xml', `the root is not ${rootName}`);
  const signature = child(root, 'Signature');
  if (!signature) return fail('no-signature', `${rootName} has no Signature element`);
  const signedInfo = child(signature, 'SignedInfo');
  const reference = signedInfo && child(signedInfo, 'Reference');
  if (!signedInfo || !reference) return fail('no-signature', 'Signature has no SignedInfo/Reference');

  const c14nMethod = child(signedInfo, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? '';
  const signatureMethod = child(signedInfo, 'SignatureMethod')?.getAttribute('Algorithm');
  const digestMethod = child(reference, 'DigestMethod')?.getAttribute('Algorithm');
  const transforms: string[] = [];
  const transformsElement = child(reference, 'Transforms');
  for (let n = transformsElement?.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) transforms.push((n as Element).getAttribute('Algorithm') ?? '');
  }
  if (![C14N, EXC_C14N].includes(c14nMethod))
    return fail('unsupported-algorithm', `CanonicalizationMethod ${c14nMethod}`);
  if (signatureMethod !== SIGNATURE_PROFILE.signatureMethod)
    return fail('unsupported-algorithm', `SignatureMethod ${signatureMethod}`);
  if (digestMethod !== SIGNATURE_PROFILE.digestMethod)
    return fail('unsupported-algorithm', `DigestMethod ${digestMethod}`);
  if (reference.getAttribute('URI') !== '')
    return fail('unsupported-algorithm', 'Reference URI must be "" (the whole document)');
  if (!transforms.includes(ENVELOPED) || transforms.some((t) => ![ENVELOPED, EXC_C14N, C14N].includes(t))) {
    return fail('unsupported-algorithm', `Transforms ${transforms.join(', ')}`);
  }

  const certificateText = text(
    child(child(child(signature, 'KeyInfo') ?? signature, 'X509Data') ?? signature, 'X509Certificate'),
  );
  let certificate = options.certificate;
  if (certificateText) {
    let embedded: X509Certificate;
    try {
      embedded = new X509Certificate(Buffer.from(certificateText, 'base64'));
    } catch {
      return fail('no-certificate', 'KeyInfo/X509Certificate is not a certificate');
    }
    if (certificate && !embedded.raw.equals(certificate.raw))
      return fail('certificate-mismatch', 'signed with another certificate than expected');
    certificate ??= embedded;
  }
  if (!certificate) return fail('no-certificate', 'no certificate in KeyInfo and none given');

  // SignedInfo is canonicalized in place (its namespace context matters) before the document is cut.
  const signedInfoBytes = canonicalize(signedInfo, c14nMethod);
  const signatureValue = Buffer.from(text(child(signature, 'SignatureValue')), 'base64');
  const digestValue = text(child(reference, 'DigestValue'));

  // The reference: the document without the enveloped Signature and without gNoFirm.
  root.removeChild(signature);
  const qr = child(root, 'gNoFirm', DGI_NAMESPACE);
  if (qr) root.removeChild(qr);
  const referenceAlgorithm = transforms.find((t) => t !== ENVELOPED) ?? C14N;
  const actualDigest = createHash('sha256')
    .update(canonicalize(root, referenceAlgorithm), 'utf8')
    .digest('base64');
  if (actualDigest !== digestValue) {
    return fail(
      'digest-mismatch',
      'the document was changed after it was signed (DigestValue does not match)',
    );
  }
  if (
    !verifySignature('sha256', Buffer.from(signedInfoBytes, 'utf8'), certificate.publicKey, signatureValue)
  ) {
    return fail('signature-mismatch', 'SignatureValue does not match SignedInfo for this certificate');
  }
  return { ok: true, digestValue, certificate };
}
