import type { DgiIssue } from './dgi-issue.js';
/** What fepa POSTs to a company's webhook on every state change of one of its documents. */
export interface DocumentWebhookEvent {
  /** Unique per document and change: receivers deduplicate on it (deliveries are retried until acknowledged). */
  eventId: string;
  documentId: string;
  workflowId: string;
  seq: number;
  status: string;
  key: {
    environment: string;
    docType: string;
    branch: string;
    pointOfSale: string;
    number: string;
    emitterRuc: string;
  };
  cufe?: string;
  protocol?: string;
  pac: { name: string; status?: string; code?: string; message?: string };
  dgiIssues: DgiIssue[];
  /** Present when a person must act: what a support ticket needs. */
  needsPerson?: { reason: string; code?: string; actions: string[] };
  at: string;
  /** `cafe` once the document is signed. */
  links: { self: string; xml: string; cafe?: string };
}
