/** The API paths of a document, one definition for the API's answers and the webhook events. */
export function documentLinks(companyId: string, documentId: string) {
  const self = `/v1/companies/${companyId}/documents/${documentId}`;
  return {
    self,
    xml: `${self}/xml`,
    correct: `${self}/correct`,
    resubmit: `${self}/resubmit`,
    submit: `${self}/submit`,
    annul: `${self}/annul`,
    cancel: `${self}/cancel`,
  };
}
