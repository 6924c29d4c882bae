import type { ReceivedTimings } from './received-messages.js';

export interface MailboxReadInput {
  companyId: string;
  /** Receiving's workflows started from this read (tests use a prefix and short timings). */
  pacTaskQueuePrefix?: string;
  receivedTimings?: Partial<ReceivedTimings>;
  maxMessages?: number;
}

export interface MailboxReadSummary {
  configured: boolean;
  messages: number;
  documents: number;
  /** Documents recorded for the first time (the rest were already known by CUFE). */
  newDocuments: number;
  refused: number;
  skipped: number;
  /** Messages left for the next read (more than one read takes). */
  remaining: number;
  error?: string;
}

/** What one read of the PAC's reception service found. */
export interface PacInboxSummary {
  offered: boolean;
  documents: number;
  newDocuments: number;
  refused: number;
  message?: string;
}
