/** The XMLDSig profile the DGI accepts (spec §11): enveloped, RSA-SHA256, SHA-256 digest, URI "". */
export const SIGNATURE_PROFILE = {
  namespace: 'http://www.w3.org/2000/09/xmldsig#',
  /** SignedInfo canonicalization: inclusive C14N 1.0, as the DGI sample. */
  canonicalization: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  signatureMethod: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  digestMethod: 'http://www.w3.org/2001/04/xmlenc#sha256',
  /**
   * [UNCERTAIN] order (spec §16): the DGI sample lists exc-c14n first, PHP and TS implementations
   * enveloped first. Both give the same digest; enveloped first is what general verifiers process best.
   */
  transforms: [
    'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
    'http://www.w3.org/2001/10/xml-exc-c14n#',
  ],
} as const;
