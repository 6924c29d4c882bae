import { randomInt } from 'node:crypto';
import { escapeCanonicalText } from '../dgi-document/xml/canonical-text.js';
import { DGI_NAMESPACE } from '../dgi-document/xml/layout.js';
import { XML_DECLARATION } from '../dgi-document/xml/write-rfe.js';
import { signCanonicalRfe, type SigningKey } from '../signing/sign-rfe.js';

import { MANIFESTATION_CODES, type ManifestationCode } from '../../common/received-document.js';

export { MANIFESTATION_CODES, type ManifestationCode };
export const isManifestationCode = (code: string): code is ManifestationCode => code in MANIFESTATION_CODES;

/**
 * [UNCERTAIN] The element that names the document: the DGI's XSD copy has `dProtAut` (the authorization
 * protocol); two public emitters of the event key it on `dCufe` (spec dgi-fe §13.4). Change it here only.
 */
export const MANIFESTATION_KEY_FIELD: 'dProtAut' | 'dCufe' = 'dProtAut';

export interface ManifestationInput {
  environment: '1' | '2';
  /** The received document's CUFE and the DGI's authorization protocol for it. */
  cufe: string;
  protocol?: string | undefined;
  /** The receiving company's RUC. */
  receiverRuc: string;
  code: ManifestationCode;
  /** 15–500 characters when given (dMotManif). */
  reason?: string | undefined;
  /** `ID` + 20 digits; generated when absent. */
  signatureId?: string;
}

export class ManifestationError extends Error {}

/** A fresh `dIdFirma`: `ID` and 20 digits. */
export const signatureIdFor = () => `ID${Array.from({ length: 20 }, () => randomInt(0, 10)).join('')}`;

/** `rEvManifRecep` without its signature, in canonical form (the bytes the signature's digest covers). */
export function writeCanonicalManifestation(input: ManifestationInput): string {
  const key = MANIFESTATION_KEY_FIELD === 'dProtAut' ? input.protocol : input.cufe;
  if (!key)
    throw new ManifestationError(
      `the manifestation names the document by ${MANIFESTATION_KEY_FIELD}, which the DGI has not given for ${input.cufe}`,
    );
  if (input.reason !== undefined && (input.reason.length < 15 || input.reason.length > 500))
    throw new ManifestationError('reason (dMotManif) must have 15 to 500 characters');
  const element = (name: string, value: string) => `<${name}>${escapeCanonicalText(value)}</${name}>`;
  return (
    `<rEvManifRecep xmlns="${DGI_NAMESPACE}">${element('dVerForm', '1.00')}<gInfProt>` +
    element('dIdFirma', input.signatureId ?? signatureIdFor()) +
    element('iAmb', input.environment) +
    element(MANIFESTATION_KEY_FIELD, key) +
    element('dRucRec', input.receiverRuc) +
    element('dManifRecep', input.code) +
    (input.reason ? element('dMotManif', input.reason) : '') +
    `</gInfProt></rEvManifRecep>`
  );
}

/** The signed event, as sent: declaration, then the event with its enveloped signature last. */
export function signManifestation(input: ManifestationInput, key: SigningKey): string {
  const canonical = writeCanonicalManifestation(input);
  const { signature } = signCanonicalRfe(canonical, key);
  const close = '</rEvManifRecep>';
  return `${XML_DECLARATION}\n${canonical.slice(0, -close.length)}${signature}${close}`;
}
