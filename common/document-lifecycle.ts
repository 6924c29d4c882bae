/**
 * The states of a fiscal document (docs/document-lifecycle.md has the diagram). Kept small and explicit;
 * the PACs' own codes map onto these in the PAC layer.
 */
export type DocumentStatus =
  | 'received'
  | 'prepared'
  | 'signed'
  | 'awaiting_submission'
  | 'queued_offline'
  | 'submitted'
  | 'authorized'
  | 'rejected'
  | 'needs_support'
  | 'annulled'
  | 'cancelled';

export interface DocumentEvent {
  at: string;
  status: DocumentStatus;
  actor: string;
  note?: string;
}

export interface DocumentState {
  documentId: string;
  status: DocumentStatus;
  cufe?: string;
  total?: string;
  certificateFingerprint?: string;
  /** Why a person is needed, when one is. */
  needsPerson?: { reason: string; code?: string };
  history: DocumentEvent[];
}
