import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import type { Element, Node } from '@xmldom/xmldom';
import { strictRootElement } from '../dgi-document/xml/strict-dom.js';
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

/** The reference digest over the document as `algorithm` canonicalizes it (Signature and gNoFirm left out). */
type ReferenceDigest = (algorithm: string) => string;

/** What the checks need of a Signature element, read from a DOM or straight from canonical text. */
interface SignatureParts {
  c14nMethod: string;
  signatureMethod: string | undefined;
  digestMethod: string | undefined;
  referenceUri: string | undefined;
  transforms: string[];
  certificateText: string;
  /** SignedInfo in canonical form: the bytes the signature covers. */
  signedInfoBytes(): string;
  signatureValue: Buffer;
  digestValue: string;
}

/**
 * Verifies a signed `rFE` per the DGI profile and says which part fails: the document changed after
 * signing (`digest-mismatch`), the signature or SignedInfo does not hold (`signature-mismatch`),
 * an unexpected algorithm, a missing certificate. `gNoFirm` (the QR, outside the signature) is removed
 * first, as the DGI and the PACs do. With `certificate`, the signer must be that certificate.
 *
 * A document written as fepa and most signers write it is checked on its text, without a DOM (`fastPath`); any
 * other, and any fast check that fails, is decided by the DOM path with xml-crypto's canonicalization.
 */
export function verifySignedRfe(
  xml: string,
  options: { certificate?: X509Certificate; rootName?: string } = {},
): VerifyResult {
  const rootName = options.rootName ?? 'rFE';
  const fast = fastPath(xml, rootName);
  if (fast) {
    const verdict = checkSignature(fast.parts, fast.digest, options);
    if (verdict.ok) return verdict;
  }
  let root: Element | null;
  try {
    root = strictRootElement(xml);
  } catch (err) {
    return fail('not-xml', `not well-formed XML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!root || root.localName !== rootName || root.namespaceURI !== DGI_NAMESPACE)
    return fail('not-xml', `the root is not ${rootName}`);
  const signature = child(root, 'Signature');
  if (!signature) return fail('no-signature', `${rootName} has no Signature element`);
  const parts = partsFromDom(signature);
  if (typeof parts === 'string') return fail('no-signature', parts);
  const documentRoot = root;
  return checkSignature(
    parts,
    (algorithm) => {
      // The reference: the document without the enveloped Signature and without gNoFirm.
      documentRoot.removeChild(signature);
      const qr = child(documentRoot, 'gNoFirm', DGI_NAMESPACE);
      if (qr) documentRoot.removeChild(qr);
      return createHash('sha256').update(canonicalize(documentRoot, algorithm), 'utf8').digest('base64');
    },
    options,
  );
}

function partsFromDom(signature: Element): SignatureParts | string {
  const signedInfo = child(signature, 'SignedInfo');
  const reference = signedInfo && child(signedInfo, 'Reference');
  if (!signedInfo || !reference) return 'Signature has no SignedInfo/Reference';
  const c14nMethod = child(signedInfo, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? '';
  const transforms: string[] = [];
  for (let n = child(reference, 'Transforms')?.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) transforms.push((n as Element).getAttribute('Algorithm') ?? '');
  }
  return {
    c14nMethod,
    signatureMethod: child(signedInfo, 'SignatureMethod')?.getAttribute('Algorithm') ?? undefined,
    digestMethod: child(reference, 'DigestMethod')?.getAttribute('Algorithm') ?? undefined,
    referenceUri: reference.getAttribute('URI') ?? undefined,
    transforms,
    certificateText: text(
      child(child(child(signature, 'KeyInfo') ?? signature, 'X509Data') ?? signature, 'X509Certificate'),
    ),
    // SignedInfo is canonicalized in place (its namespace context matters) before the document is cut.
    signedInfoBytes: (() => {
      const bytes = canonicalize(signedInfo, c14nMethod);
      return () => bytes;
    })(),
    signatureValue: Buffer.from(text(child(signature, 'SignatureValue')), 'base64'),
    digestValue: text(child(reference, 'DigestValue')),
  };
}

const XML_DECLARATION = /^\uFEFF?(?:<\?xml[^?]*\?>)?\s*/;
const one = (source: string, pattern: RegExp): string | undefined => {
  const all = [...source.matchAll(pattern)];
  return all.length === 1 ? all[0]![1] : undefined;
};

/**
 * The fast path, for the layout fepa and most signers write: `<rFE xmlns="…dgi…">`, the signed elements, then
 * `<Signature xmlns="…xmldsig#">` with one unprefixed SignedInfo and Reference, then `gNoFirm`. The document and
 * SignedInfo are taken as received, as if already canonical, and nothing is parsed. A check that passes proves
 * it: a matching digest means these bytes are the canonical form the signer hashed (a `<Signature` inside them
 * would be escaped, so the cut is where a parser sees it), and an RSA signature that holds over the received
 * SignedInfo means it is the canonical SignedInfo the signer signed, values and all. A check that fails is
 * decided again by the DOM path.
 */
function fastPath(
  xml: string,
  rootName: string,
): { parts: SignatureParts; digest: ReferenceDigest } | undefined {
  const open = `<${rootName} xmlns="${DGI_NAMESPACE}">`;
  const close = `</${rootName}>`;
  const bodyStart = (XML_DECLARATION.exec(xml)?.[0].length ?? 0) + open.length;
  if (!xml.startsWith(open, bodyStart - open.length)) return undefined;
  const end = xml.trimEnd();
  if (!end.endsWith(close)) return undefined;
  const signatureOpen = `<Signature xmlns="${XMLDSIG_NAMESPACE}">`;
  const signatureStart = xml.indexOf(signatureOpen, bodyStart);
  if (signatureStart < 0 || xml.indexOf(signatureOpen, signatureStart + 1) >= 0) return undefined;
  const signatureEnd = xml.indexOf('</Signature>', signatureStart) + '</Signature>'.length;
  if (signatureEnd < '</Signature>'.length) return undefined;
  const body = xml.slice(bodyStart, signatureStart);
  if (body.includes('<gNoFirm>')) return undefined;
  // After the signature: whitespace, at most one gNoFirm, whitespace, the end tag.
  const tail = /^(\s*)(?:<gNoFirm>[\s\S]*?<\/gNoFirm>)?(\s*)$/.exec(
    xml.slice(signatureEnd, end.length - close.length),
  );
  if (!tail) return undefined;

  const signature = xml.slice(signatureStart, signatureEnd);
  const signedInfo = one(signature, /<SignedInfo>([\s\S]*?)<\/SignedInfo>/g);
  if (signedInfo === undefined || signedInfo.includes('<Reference', signedInfo.indexOf('</Reference>')))
    return undefined;
  const algorithm = (element: string) => one(signedInfo, new RegExp(`<${element} Algorithm="([^"]*)"`, 'g'));
  const c14nMethod = algorithm('CanonicalizationMethod');
  const digestValue = one(signedInfo, /<DigestValue>([^<]*)<\/DigestValue>/g);
  const signatureValue = one(signature, /<SignatureValue>([^<]*)<\/SignatureValue>/g);
  if (c14nMethod === undefined || digestValue === undefined || signatureValue === undefined) return undefined;
  return {
    parts: {
      c14nMethod,
      signatureMethod: algorithm('SignatureMethod'),
      digestMethod: algorithm('DigestMethod'),
      referenceUri: one(signedInfo, /<Reference URI="([^"]*)"/g),
      transforms: [...signedInfo.matchAll(/<Transform Algorithm="([^"]*)"/g)].map((m) => m[1]!),
      certificateText: (one(signature, /<X509Certificate>([^<]*)<\/X509Certificate>/g) ?? '').replace(
        /\s+/g,
        '',
      ),
      signedInfoBytes: () => `<SignedInfo xmlns="${XMLDSIG_NAMESPACE}">${signedInfo}</SignedInfo>`,
      signatureValue: Buffer.from(signatureValue.replace(/\s+/g, ''), 'base64'),
      digestValue: digestValue.replace(/\s+/g, ''),
    },
    digest: () =>
      createHash('sha256')
        .update(open, 'utf8')
        .update(body, 'utf8')
        .update(tail[1]!, 'utf8')
        .update(tail[2]!, 'utf8')
        .update(close, 'utf8')
        .digest('base64'),
  };
}

/** Suppliers sign many documents with one certificate: the last few parsed are kept. */
const certificates = new Map<string, X509Certificate>();
function certificateOf(base64: string): X509Certificate | undefined {
  let certificate = certificates.get(base64);
  if (!certificate) {
    try {
      certificate = new X509Certificate(Buffer.from(base64, 'base64'));
    } catch {
      return undefined;
    }
    if (certificates.size >= 64) certificates.delete(certificates.keys().next().value!);
    certificates.set(base64, certificate);
  }
  return certificate;
}

/** The profile's checks on a Signature's parts, given how to compute the reference digest. */
function checkSignature(
  parts: SignatureParts,
  referenceDigest: ReferenceDigest,
  options: { certificate?: X509Certificate },
): VerifyResult {
  const { c14nMethod, signatureMethod, digestMethod, transforms } = parts;
  if (![C14N, EXC_C14N].includes(c14nMethod))
    return fail('unsupported-algorithm', `CanonicalizationMethod ${c14nMethod}`);
  if (signatureMethod !== SIGNATURE_PROFILE.signatureMethod)
    return fail('unsupported-algorithm', `SignatureMethod ${signatureMethod}`);
  if (digestMethod !== SIGNATURE_PROFILE.digestMethod)
    return fail('unsupported-algorithm', `DigestMethod ${digestMethod}`);
  if (parts.referenceUri !== '')
    return fail('unsupported-algorithm', 'Reference URI must be "" (the whole document)');
  if (!transforms.includes(ENVELOPED) || transforms.some((t) => ![ENVELOPED, EXC_C14N, C14N].includes(t))) {
    return fail('unsupported-algorithm', `Transforms ${transforms.join(', ')}`);
  }

  let certificate = options.certificate;
  if (parts.certificateText) {
    const embedded = certificateOf(parts.certificateText);
    if (!embedded) return fail('no-certificate', 'KeyInfo/X509Certificate is not a certificate');
    if (certificate && !embedded.raw.equals(certificate.raw))
      return fail('certificate-mismatch', 'signed with another certificate than expected');
    certificate ??= embedded;
  }
  if (!certificate) return fail('no-certificate', 'no certificate in KeyInfo and none given');

  const signedInfoBytes = parts.signedInfoBytes();
  const referenceAlgorithm = transforms.find((t) => t !== ENVELOPED) ?? C14N;
  if (referenceDigest(referenceAlgorithm) !== parts.digestValue) {
    return fail(
      'digest-mismatch',
      'the document was changed after it was signed (DigestValue does not match)',
    );
  }
  if (
    !verifySignature(
      'sha256',
      Buffer.from(signedInfoBytes, 'utf8'),
      certificate.publicKey,
      parts.signatureValue,
    )
  ) {
    return fail('signature-mismatch', 'SignatureValue does not match SignedInfo for this certificate');
  }
  return { ok: true, digestValue: parts.digestValue, certificate };
}
