import { checkBusinessRules } from '../dgi-document/business-rules.js';
import { computeCufe, parseCufe, type CufeFields } from '../dgi-document/cufe.js';
import { reconcileTotals } from '../dgi-document/totals.js';
import { readRfe } from '../dgi-document/xml/read-rfe.js';
import type { ParsedDocument } from '../dgi-document/schema/document.js';
import { certificateFacts } from '../certificates/certificate-facts.js';
import { verifySignedRfe } from '../signing/verify-rfe.js';
import { identifyReceived, type ReceivedIdentity } from './identify-received.js';

/** The checks a received document goes through, in order (docs/receiving.md). */
export type CheckName =
  | 'intake'
  | 'addressee'
  | 'format'
  | 'signature'
  | 'certificate'
  | 'cufe'
  | 'qr'
  | 'arithmetic'
  | 'rules'
  | 'schema';

/**
 * One thing found. An `error` makes the document invalid; a `note` is reported and kept (a supplier's
 * rounding that differs from fepa's, a certificate without the supplier's RUC in its subject).
 */
export interface Finding {
  check: CheckName;
  severity: 'error' | 'note';
  path: string;
  rule: string;
  message: string;
}

export interface SignerFacts {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  ruc?: string;
}

export interface VerificationReport {
  verdict: 'valid' | 'invalid';
  findings: Finding[];
  identity?: ReceivedIdentity;
  signer?: SignerFacts;
  /** The signature's DigestValue (what the QR carries). */
  digestValue?: string;
}

export interface VerifyOptions {
  /** The receiving company's RUC: the document must be addressed to it. */
  receiverRuc: string;
}

const CUFE_FIELDS: Array<[keyof CufeFields, string]> = [
  ['iDoc', 'gDGen.iDoc'],
  ['dTipoRuc', 'gDGen.gEmis.gRucEmi.dTipoRuc'],
  ['dRuc', 'gDGen.gEmis.gRucEmi.dRuc'],
  ['dDV', 'gDGen.gEmis.gRucEmi.dDV'],
  ['dSucEm', 'gDGen.gEmis.dSucEm'],
  ['issueDate', 'gDGen.dFechaEm'],
  ['dNroDF', 'gDGen.dNroDF'],
  ['dPtoFacDF', 'gDGen.dPtoFacDF'],
  ['iTpEmis', 'gDGen.iTpEmis'],
  ['iAmb', 'gDGen.iAmb'],
  ['dSeg', 'gDGen.dSeg'],
];

/** The CUFE's fields as the document states them. */
function cufeFieldsOf(doc: ParsedDocument): Partial<CufeFields> {
  const g = doc.gDGen;
  return {
    iDoc: g.iDoc,
    dTipoRuc: g.gEmis.gRucEmi.dTipoRuc,
    dRuc: g.gEmis.gRucEmi.dRuc,
    dDV: g.gEmis.gRucEmi.dDV,
    dSucEm: g.gEmis.dSucEm,
    issueDate: g.dFechaEm.slice(0, 10).replaceAll('-', ''),
    dNroDF: g.dNroDF,
    dPtoFacDF: g.dPtoFacDF,
    iTpEmis: g.iTpEmis,
    iAmb: g.iAmb,
    ...(g.dSeg ? { dSeg: g.dSeg } : {}),
  };
}

/** Does the CUFE follow from the document's own fields? The first field that differs, named. */
export function cufeFindings(cufe: string, doc: ParsedDocument): Finding[] {
  const parsed = parseCufe(cufe);
  if (!parsed.ok)
    return [{ check: 'cufe', severity: 'error', path: 'dId', rule: 'cufe-layout', message: parsed.reason }];
  const stated = cufeFieldsOf(doc);
  for (const [field, path] of CUFE_FIELDS) {
    const value = stated[field];
    if (value !== undefined && value !== parsed.fields[field])
      return [
        {
          check: 'cufe',
          severity: 'error',
          path,
          rule: 'cufe-mismatch',
          message: `the CUFE carries ${field} "${parsed.fields[field]}" but the document says "${value}"`,
        },
      ];
  }
  const rebuilt = computeCufe({ ...parsed.fields, ...stated });
  return rebuilt === cufe
    ? []
    : [
        {
          check: 'cufe',
          severity: 'error',
          path: 'dId',
          rule: 'cufe-mismatch',
          message: `the document's fields give ${rebuilt}`,
        },
      ];
}

/** The QR (outside the signature) should point at this CUFE and carry the signature's digest. */
function qrFindings(qrCode: string | undefined, cufe: string, digestValue: string | undefined): Finding[] {
  if (!qrCode)
    return [
      {
        check: 'qr',
        severity: 'note',
        path: 'gNoFirm.dQRCode',
        rule: 'present',
        message: 'the document has no QR',
      },
    ];
  const params = new URLSearchParams(qrCode.slice(qrCode.indexOf('?') + 1));
  const out: Finding[] = [];
  if (params.get('chFE') !== cufe)
    out.push({
      check: 'qr',
      severity: 'note',
      path: 'gNoFirm.dQRCode',
      rule: 'qr-cufe',
      message: 'the QR names another CUFE',
    });
  // The digest is written raw in the URL (spec §12): a '+' reads back as a space.
  const qrDigest = params.get('digestValue')?.replaceAll(' ', '+');
  if (digestValue && qrDigest !== digestValue)
    out.push({
      check: 'qr',
      severity: 'note',
      path: 'gNoFirm.dQRCode',
      rule: 'qr-digest',
      message: "the QR's digestValue is not the signature's",
    });
  return out;
}

/**
 * Every check fepa makes on a supplier's document before asking the DGI about it (docs/receiving.md):
 * readable and addressed to this company, signed and unchanged since, a certificate valid when it was
 * issued, a CUFE that follows from its fields, and the issuing side's arithmetic and rules (reported as
 * notes: the DGI, not fepa, decides whether a supplier's rounding stands). Pure: the same XML gives the
 * same report.
 */
export function verifyReceived(xml: string, options: VerifyOptions): VerificationReport {
  const identified = identifyReceived(xml);
  if (!identified.ok) {
    const { path, rule, message } = identified.refusal;
    return { verdict: 'invalid', findings: [{ check: 'intake', severity: 'error', path, rule, message }] };
  }
  const { identity } = identified;
  const findings: Finding[] = [];
  if (identity.receiverRuc !== options.receiverRuc)
    findings.push({
      check: 'addressee',
      severity: 'error',
      path: 'gDGen.gDatRec.gRucRec.dRuc',
      rule: 'addressed-to-company',
      message: identity.receiverRuc
        ? `the document is addressed to RUC ${identity.receiverRuc}, not to this company (${options.receiverRuc})`
        : `the document names no receiver RUC; this company is ${options.receiverRuc}`,
    });

  const signature = verifySignedRfe(xml);
  let signer: SignerFacts | undefined;
  let digestValue: string | undefined;
  if (!signature.ok) {
    findings.push({
      check: 'signature',
      severity: 'error',
      path: 'Signature',
      rule: signature.failure,
      message: signature.reason,
    });
  } else {
    digestValue = signature.digestValue;
    const facts = certificateFacts(signature.certificate, new Date());
    signer = {
      subject: facts.subject,
      issuer: facts.issuer,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      ...(facts.ruc ? { ruc: facts.ruc } : {}),
    };
    const issued = new Date(identity.issuedAt);
    if (
      Number.isNaN(issued.getTime()) ||
      issued < new Date(facts.notBefore) ||
      issued > new Date(facts.notAfter)
    )
      findings.push({
        check: 'certificate',
        severity: 'error',
        path: 'Signature.KeyInfo.X509Data.X509Certificate',
        rule: 'valid-when-issued',
        message: `the certificate is valid from ${facts.notBefore} to ${facts.notAfter}; the document was issued ${identity.issuedAt}`,
      });
    if (facts.ruc && facts.ruc !== identity.supplierRuc)
      findings.push({
        check: 'certificate',
        severity: 'note',
        path: 'Signature.KeyInfo.X509Data.X509Certificate',
        rule: 'signer-ruc',
        message: `signed with a certificate of RUC ${facts.ruc}, not the supplier's (${identity.supplierRuc}); a PAC may sign for its emitters`,
      });
  }

  const read = readRfe(xml);
  if (!read.ok) {
    for (const issue of read.issues.slice(0, 50))
      findings.push({
        check: 'format',
        severity: 'error',
        path: issue.path,
        rule: issue.rule,
        message: issue.message,
      });
  } else {
    findings.push(...cufeFindings(identity.cufe, read.document));
    findings.push(...qrFindings(read.qrCode, identity.cufe, digestValue));
    // The issuing side's rules and arithmetic on a copy: what differs is reported, never "corrected".
    const copy = structuredClone(read.document);
    for (const issue of checkBusinessRules(copy).slice(0, 50))
      findings.push({
        check: 'rules',
        severity: 'note',
        path: issue.path,
        rule: issue.rule,
        message: issue.message,
      });
    for (const issue of reconcileTotals(copy).issues.slice(0, 50))
      findings.push({
        check: 'arithmetic',
        severity: 'note',
        path: issue.path,
        rule: issue.rule,
        message: issue.message,
      });
  }
  return {
    verdict: findings.some((f) => f.severity === 'error') ? 'invalid' : 'valid',
    findings,
    identity,
    ...(signer ? { signer } : {}),
    ...(digestValue ? { digestValue } : {}),
  };
}
