import { log } from '@temporalio/activity';
import { RUC_LOOKUP_MAX_AGE_MS } from '../common/pac-account.js';
import type { PacAdapter } from '../pac/pac-adapter.js';
import { pacResult, type PacResult } from '../pac/pac-result.js';
import type { Sql } from '../platform/storage/database.js';
import { pacAccountSettings } from '../platform/storage/pac-account-store.js';
import { rucFromRegistry } from './ruc-registry.js';

/** How long a registry answer is trusted, and how long issuing waits for HKA's registry at most. */
export { RUC_LOOKUP_MAX_AGE_MS };
export const RUC_CHECK_WAIT_MS = 3_000;

interface ReceiverRuc {
  iTipoRec?: string;
  gRucRec?: { dTipoRuc?: string; dRuc?: string; dDV?: string };
}

/**
 * For companies whose PAC account has the DGI's RUC registry (HKA) and that ask for it: a contributor receiver's RUC is looked up (cached) before the
 * document goes out, so a wrong DV or an unregistered RUC is caught before the DGI rejects it. A slow or
 * failing registry never blocks issuing: after RUC_CHECK_WAIT_MS the document goes out unchecked.
 * Answers the result to return instead of submitting, or undefined to submit.
 */
export async function receiverRucProblem(
  sql: Sql,
  companyId: string,
  adapter: PacAdapter,
  request: unknown,
): Promise<PacResult | undefined> {
  const account = adapter.account;
  if (!account) return undefined;
  const receiver = (request as { gDGen?: { gDatRec?: ReceiverRuc } }).gDGen?.gDatRec;
  const ruc = receiver?.gRucRec;
  const type = ruc?.dTipoRuc;
  if (receiver?.iTipoRec !== '01' || !ruc?.dRuc || (type !== '1' && type !== '2')) return undefined;
  if (!(await pacAccountSettings(sql, companyId)).checkReceiverRuc) return undefined;

  const lookup = await Promise.race([
    rucFromRegistry(sql, companyId, account, type, ruc.dRuc, RUC_LOOKUP_MAX_AGE_MS),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), RUC_CHECK_WAIT_MS)),
  ]);
  if (!lookup) {
    log.warn('the RUC registry is slow: the document goes out without the receiver check', { companyId });
    return undefined;
  }
  const raw = { request: { method: 'POST', url: 'ConsultarRucDV' }, elapsedMs: 0 };
  if (!lookup.ok) {
    if (lookup.result.pacCode !== '102') return undefined; // registry trouble: never blocks issuing
    return pacResult('rejected-correctable', {
      raw,
      notSent: true,
      pacCode: 'FEPA-RUC-UNKNOWN',
      pacMessage: `not sent: the DGI registry has no contributor with RUC ${ruc.dRuc} (gDGen.gDatRec.gRucRec.dRuc)`,
    });
  }
  if (ruc.dDV === undefined || lookup.info.dv === ruc.dDV) return undefined;
  return pacResult('rejected-correctable', {
    raw,
    notSent: true,
    pacCode: 'FEPA-RUC-DV',
    pacMessage: `not sent: the DGI registry gives DV ${lookup.info.dv} for RUC ${ruc.dRuc} (${lookup.info.name}), the document has ${ruc.dDV} (gDGen.gDatRec.gRucRec.dDV)`,
  });
}
