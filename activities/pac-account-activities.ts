import { ApplicationFailure, log } from '@temporalio/activity';
import { PACS_WITH_ACCOUNT_SERVICES } from '../pac/pac-registry.js';
import type { FolioCheck, RucLookup } from '../common/pac-account.js';
import type { PacAccount } from '../pac/pac-adapter.js';
import type { PacRegistry } from '../pac/pac-registry.js';
import type { PacResult } from '../pac/pac-result.js';
import type { Sql } from '../platform/storage/database.js';
import {
  pacAccountCompanyIds,
  pacAccountSettings,
  recordFolioReading,
  type FolioReading,
} from '../platform/storage/pac-account-store.js';
import { rucFromRegistry } from './ruc-registry.js';

export interface PacAccountActivityDeps {
  sql: Sql;
  pacs: PacRegistry;
}

/** What a folio read found: the reading kept, or why HKA gave none. */
export type { FolioCheck, RucLookup };

/**
 * A PAC answer that means "ask again later" fails the activity (Temporal retries it); any other refusal
 * is an answer to report.
 */
function retryUnlessFinal(result: PacResult): { code: string; message: string } {
  if (result.status === 'transient' || result.status === 'unknown')
    throw ApplicationFailure.retryable(
      `the PAC did not answer: ${result.pacMessage ?? result.status}`,
      'PacAccountUnavailable',
    );
  return { code: result.pacCode ?? result.status, message: result.pacMessage ?? '' };
}

/** HKA's account services (folios, RUC registry): they run on HKA's rate-limited task queue. */
export function createPacAccountActivities(deps: PacAccountActivityDeps) {
  /** The company's PAC account services; a PAC without them is refused for good. */
  async function accountOf(companyId: string): Promise<PacAccount> {
    const { adapter } = await deps.pacs.resolve(companyId);
    if (!adapter.account)
      throw ApplicationFailure.nonRetryable(
        `company ${companyId}'s PAC has no account services (folios, RUC registry)`,
        'NoPacAccountServices',
      );
    return adapter.account;
  }

  return {
    async accountCompanies(): Promise<string[]> {
      return pacAccountCompanyIds(deps.sql, PACS_WITH_ACCOUNT_SERVICES);
    },

    /** FoliosRestantes for one company: recorded, and warned about when under the company's threshold. */
    async readAccountFolios(input: {
      companyId: string;
      reason: FolioReading['reason'];
    }): Promise<FolioCheck> {
      const answer = await (await accountOf(input.companyId)).remainingFolios();
      if (!answer.ok) return { ok: false, companyId: input.companyId, ...retryUnlessFinal(answer.result) };
      const { folioAlertThreshold } = await pacAccountSettings(deps.sql, input.companyId);
      const available = answer.folios.available ?? answer.folios.cycleAvailable ?? null;
      const reading = await recordFolioReading(deps.sql, {
        companyId: input.companyId,
        available,
        cycleAvailable: answer.folios.cycleAvailable ?? null,
        figures: answer.folios,
        belowThreshold: available !== null && available < folioAlertThreshold,
        reason: input.reason,
      });
      if (reading.belowThreshold)
        log.warn('prepaid folios below the alert threshold: buy a new cycle before documents are refused', {
          companyId: input.companyId,
          available,
          threshold: folioAlertThreshold,
        });
      return { ok: true, reading, threshold: folioAlertThreshold };
    },

    /** ConsultarRucDV through the company's account, from the cache when it is fresh enough. */
    async lookUpRuc(input: {
      companyId: string;
      type: '1' | '2';
      ruc: string;
      maxAgeMs: number;
    }): Promise<RucLookup> {
      const { companyId, type, ruc, maxAgeMs } = input;
      const found = await rucFromRegistry(
        deps.sql,
        companyId,
        await accountOf(companyId),
        type,
        ruc,
        maxAgeMs,
      );
      return found.ok ? found : { ok: false, ...retryUnlessFinal(found.result) };
    },
  };
}

export type PacAccountActivities = ReturnType<typeof createPacAccountActivities>;
