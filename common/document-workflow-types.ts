import type { DocumentState } from './document-lifecycle.js';
import type { ActionKind, CorrectionAction, DocumentTimings, OperatorAction } from './document-messages.js';

/** What starts a document workflow: ids and the business key, never the document itself or secrets. */
export interface DocumentWorkflowInput {
  documentId: string;
  companyId: string;
  emitterRuc: string;
  environment: '1' | '2';
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  pac: string;
  /** Task queue of this PAC's activities (rate-limited per PAC). */
  pacTaskQueue: string;
  timings?: Partial<DocumentTimings>;
  /** State carried over by continue-as-new. */
  carried?: DocumentState;
  /**
   * What the last run had received and not yet acted on: an operator action it accepted (answered as
   * accepted, so it must happen), and the end of the contingency the document waits for.
   */
  carriedInbox?: {
    pending?: { kind: ActionKind; action: OperatorAction & Partial<CorrectionAction> };
    contingencyEnded?: boolean;
  };
}

/** The business key of a fiscal document: at most one document (and one workflow) per key. */
export type DocumentKey = Pick<
  DocumentWorkflowInput,
  'companyId' | 'environment' | 'docType' | 'branch' | 'pointOfSale' | 'number'
>;

/** Workflow id from the business key: the same document always maps to the same workflow. */
export function documentWorkflowId(k: DocumentKey): string {
  return `document:${k.companyId}:${k.environment}:${k.docType}:${k.branch}-${k.pointOfSale}-${k.number}`;
}

export { getDocumentState } from './document-messages.js';
