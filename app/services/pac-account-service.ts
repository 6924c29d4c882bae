import { WorkflowFailedError, type Client } from '@temporalio/client';
import { hasAccountServices } from '../../pac/pac-registry.js';
import type { PacName } from '../../platform/storage/pac-settings-store.js';
import { RUC_LOOKUP_MAX_AGE_MS, type FolioCheck, type RucLookup } from '../../common/pac-account.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import { findCompany } from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';
import {
  pacAccountSettings,
  latestFolioReading,
  savePacAccountSettings,
  type FolioReading,
  type PacAccountSettings,
} from '../../platform/storage/pac-account-store.js';
import { findPacSettings } from '../../platform/storage/pac-settings-store.js';
import type { folioWatchWorkflow, rucLookupWorkflow } from '../../workflows/pac-account-workflows.js';
import type { DocumentService } from './document-service.js';

export interface FolioView {
  companyId: string;
  threshold: number;
  /** The last reading is under the threshold (or HKA refused a document for lack of folios). */
  low: boolean;
  latest?: FolioReading;
}

export type PacAccountRefusal =
  | { refused: 'company-not-found' }
  /** The company's PAC has no account services (folios, RUC registry). */
  | { refused: 'no-account-services'; pac: string }
  | { refused: 'pac-said'; code: string; message: string }
  | { refused: 'pac-unavailable'; message: string };

/** How long the API waits for HKA (through the worker) before answering 504. */
const PAC_WAIT_MS = 20_000;

/**
 * HKA's account services for people and integrators: the folio figures (latest reading, or read now),
 * the folio alert threshold and receiver check, and RUC look-ups. HKA is called by the worker, on HKA's
 * rate-limited task queue, through short workflows.
 */
export class PacAccountService {
  constructor(private readonly deps: { sql: Sql; client: Client; documents: DocumentService }) {}

  /** The company's PAC, when it has account services. */
  private async accountPac(companyId: string): Promise<{ pac: PacName } | PacAccountRefusal> {
    if (!(await findCompany(this.deps.sql, companyId))) return { refused: 'company-not-found' };
    const { pac } = await findPacSettings(this.deps.sql, companyId);
    return hasAccountServices(pac) ? { pac } : { refused: 'no-account-services', pac };
  }

  async folios(companyId: string): Promise<FolioView | PacAccountRefusal> {
    const account = await this.accountPac(companyId);
    if ('refused' in account) return account;
    const { folioAlertThreshold } = await pacAccountSettings(this.deps.sql, companyId);
    const latest = await latestFolioReading(this.deps.sql, companyId);
    return {
      companyId,
      threshold: folioAlertThreshold,
      low: latest?.belowThreshold ?? false,
      ...(latest ? { latest } : {}),
    };
  }

  /** Reads the folios now (FoliosRestantes), recorded and alerted like the daily read. */
  async readFoliosNow(companyId: string): Promise<FolioView | PacAccountRefusal> {
    const account = await this.accountPac(companyId);
    if ('refused' in account) return account;
    const done = await this.run<typeof folioWatchWorkflow, FolioCheck[]>(
      'folioWatchWorkflow',
      `folios:${companyId}`,
      {
        pacTaskQueue: this.deps.documents.pacTaskQueueOf(account.pac),
        companyId,
        reason: 'request',
      },
    );
    if ('refused' in done) return done;
    const check = done.result[0];
    if (check && !check.ok) return { refused: 'pac-said', code: check.code, message: check.message };
    return this.folios(companyId);
  }

  async saveSettings(
    companyId: string,
    settings: Partial<PacAccountSettings>,
  ): Promise<PacAccountSettings | PacAccountRefusal> {
    const account = await this.accountPac(companyId);
    if ('refused' in account) return account;
    await savePacAccountSettings(this.deps.sql, companyId, settings);
    return pacAccountSettings(this.deps.sql, companyId);
  }

  async lookUpRuc(
    companyId: string,
    type: '1' | '2',
    ruc: string,
  ): Promise<Extract<RucLookup, { ok: true }> | PacAccountRefusal> {
    const account = await this.accountPac(companyId);
    if ('refused' in account) return account;
    const done = await this.run<typeof rucLookupWorkflow, RucLookup>(
      'rucLookupWorkflow',
      `ruc-lookup:${companyId}:${type}:${ruc}`,
      {
        pacTaskQueue: this.deps.documents.pacTaskQueueOf(account.pac),
        companyId,
        type,
        ruc,
        maxAgeMs: RUC_LOOKUP_MAX_AGE_MS,
      },
    );
    if ('refused' in done) return done;
    return done.result.ok
      ? done.result
      : { refused: 'pac-said', code: done.result.code, message: done.result.message };
  }

  /** Runs one short workflow and waits for it (at most PAC_WAIT_MS: a slow HKA is a 504, not a hang). */
  private async run<W extends (input: never) => Promise<unknown>, R>(
    workflowType: string,
    idPrefix: string,
    input: Parameters<W>[0],
  ): Promise<{ result: R } | PacAccountRefusal> {
    const handle = await this.deps.client.workflow.start(workflowType, {
      taskQueue: this.deps.documents.taskQueue ?? TASK_QUEUES.documents,
      workflowId: `${idPrefix}:${Date.now()}`,
      args: [input],
      workflowExecutionTimeout: '5m',
    });
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), PAC_WAIT_MS).unref(),
    );
    try {
      const result = await Promise.race([handle.result() as Promise<R>, timeout]);
      if (result === 'timeout')
        return {
          refused: 'pac-unavailable',
          message: `the PAC did not answer within ${PAC_WAIT_MS / 1000} s`,
        };
      return { result };
    } catch (err) {
      if (err instanceof WorkflowFailedError)
        return { refused: 'pac-unavailable', message: err.cause?.message ?? err.message };
      throw err;
    }
  }
}
