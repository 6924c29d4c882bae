/** One issue the DGI (or the PAC on its behalf) reports about a document: the contract's one definition. */
export interface DgiIssue {
  code: string;
  message: string;
  /** E rejects the document; N is a notification that does not block authorization. */
  effect: 'E' | 'N';
}
