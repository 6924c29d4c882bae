/**
 * The API paths of a document, one definition for the API's answers and the webhook events. The CAFE's
 * link appears once the document is signed (before, there is nothing to print).
 */
export function documentLinks(companyId: string, documentId: string, options: { signed?: boolean } = {}) {
  const self = `/v1/companies/${companyId}/documents/${documentId}`;
  return {
    self,
    xml: `${self}/xml`,
    ...(options.signed ? { cafe: `${self}/cafe` } : {}),
    correct: `${self}/correct`,
    resubmit: `${self}/resubmit`,
    submit: `${self}/submit`,
    annul: `${self}/annul`,
    cancel: `${self}/cancel`,
  };
}
