/**
 * A supplier's document in fepa (docs/receiving.md). `invalid`, `not_at_dgi` and `unconfirmed` are where a
 * person looks; `accepted` only ever follows the DGI's own answer.
 */
export const RECEIVED_STATUSES = [
  'received',
  'verifying',
  'confirming',
  'accepted',
  'annulled',
  'invalid',
  'not_at_dgi',
  'unconfirmed',
] as const;
export type ReceivedStatus = (typeof RECEIVED_STATUSES)[number];

/** How a received document came in (one record keeps every door it came through). */
export type ReceivedSource = 'api' | 'mail' | 'pac';

/** What the DGI said about a received document, through the company's PAC. */
export interface DgiConfirmation {
  answer: 'authorized' | 'annulled' | 'not-found' | 'not-offered' | 'no-answer';
  protocol?: string;
  authorizedAt?: string;
  pacCode?: string;
  message?: string;
  checkedAt: string;
}

/** The receiver's manifestation (rEvManifRecep) and where it stands at the PAC. */
export interface ManifestationState {
  code: string;
  reason?: string;
  actor: string;
  status: 'sending' | 'accepted' | 'refused' | 'not-offered' | 'failed';
  pacCode?: string;
  message?: string;
  at: string;
}

export const receivedWorkflowId = (companyId: string, cufe: string) => `received:${companyId}:${cufe}`;

export const receivedLinks = (companyId: string, id: string) => {
  const self = `/v1/companies/${companyId}/received/${id}`;
  return { self, xml: `${self}/xml`, cafe: `${self}/cafe`, manifest: `${self}/manifest` };
};

/**
 * The receiver's manifestation codes (evManifRecep_v1.00.xsd). Meanings from one public emitter of the
 * event [PAC, one source] (spec dgi-fe §13.4); 1005's text is cut in that source.
 */
export const MANIFESTATION_CODES = {
  '1001': 'Confirmación de los datos de la operación',
  '1002': 'Confirmación de la operación',
  '1003': 'Confirmación de la transacción',
  '1004': 'Cancelación del negocio',
  '1005': 'Desconocimiento de la operación',
} as const;
export type ManifestationCode = keyof typeof MANIFESTATION_CODES;
