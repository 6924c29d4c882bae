import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { DocumentTimings } from './document-messages.js';

export type ContingencyTimings = Pick<
  DocumentTimings,
  'contingencyProbeMs' | 'contingencyTransmitSpacingMs' | 'contingencyHourMs'
>;

/** Who opens a contingency, why, and since when (the outage's start, not the moment it was noticed). */
export interface ContingencyOpening {
  actor: string;
  reason: string;
  since: string;
  evidence?: ContingencyEvidence;
  /** End by itself once the PAC answers again (automatic contingencies; manual ones when asked). */
  autoEnd: boolean;
}

/** One contingency workflow per company and environment; a new run for each contingency. */
export interface ContingencyWorkflowInput {
  companyId: string;
  environment: '1' | '2';
  /** The PAC's task queue (the probes run there, under the PAC's rate limit). */
  pacTaskQueue: string;
  opening: ContingencyOpening;
  timings?: Partial<DocumentTimings>;
  carried?: ContingencyState;
  /** Signals the last run had received and not yet acted on (an end, an explanation). */
  carriedInbox?: ContingencyInbox;
}

/** What a contingency run has received and not yet acted on. */
export interface ContingencyInbox {
  end?: { actor: string; reason?: string };
  explanation?: { actor: string; explanation: string };
}

export interface ContingencyState {
  companyId: string;
  environment: '1' | '2';
  phase: 'opening' | 'open' | 'transmitting' | 'ended';
  contingencyId?: string;
  since: string;
  reason: string;
  explanation?: string;
  openedBy: string;
  autoEnd: boolean;
  evidence?: ContingencyEvidence;
  /** Hours (24, 48, 72) whose alert went out. */
  alerts: number[];
  lastProbe?: { at: string; answered: boolean; detail: string };
  /** Since when every probe has been answered (an automatic end waits for this to last). */
  healthySince?: string;
  issued: number;
  toTransmit: number;
  waitingForPerson: number;
  /** Documents told to transmit after the end (the cursor survives continue-as-new). */
  transmitted: number;
  /** Position in the contingency's documents (emission order) the transmission has reached. */
  cursor: number;
  /** From the company's settings when it opened. */
  endAfterHealthyMs: number;
  endedBy?: string;
  endedAt?: string;
}

export const contingencyWorkflowId = (companyId: string, environment: '1' | '2') =>
  `contingency:${companyId}:${environment}`;

export const getContingencyState = defineQuery<ContingencyState>('getContingencyState');
export const endContingencySignal = defineSignal<[{ actor: string; reason?: string }]>('endContingency');
export const explainContingencySignal =
  defineSignal<[{ actor: string; explanation: string }]>('explainContingency');

/** Alerts while a contingency lasts (dgi-fe §14: after 72 hours the reason must explain why). */
export const CONTINGENCY_ALERT_HOURS = [24, 48, 72] as const;

/** The reason an automatic contingency gives (dMotCont: 15–250 characters; Spanish, as printed). */
export function automaticReason(pac: string): string {
  return `Sin comunicacion con el PAC (${pac}): el servicio no responde`.slice(0, 250);
}

export interface ContingencyEvidence {
  rule: string;
  consecutiveFailures: number;
  failingSince: string;
  decidedAt: string;
  lastFailure?: string;
}
