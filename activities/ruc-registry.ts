import type { RucRegistryInfo } from '../common/pac-account.js';
import type { PacAccount } from '../pac/pac-adapter.js';
import type { PacResult } from '../pac/pac-result.js';
import type { Sql } from '../platform/storage/database.js';
import { cachedRucLookup, saveRucLookup } from '../platform/storage/pac-account-store.js';

/**
 * A RUC from the DGI registry through the company's PAC account: the cached answer when it is fresher than
 * `maxAgeMs`, else HKA's (then cached). The one path for look-ups asked for and for the receiver check.
 */
export async function rucFromRegistry(
  sql: Sql,
  companyId: string,
  account: Pick<PacAccount, 'rucLookup'>,
  type: '1' | '2',
  ruc: string,
  maxAgeMs: number,
): Promise<{ ok: true; source: 'cache' | 'pac'; info: RucRegistryInfo } | { ok: false; result: PacResult }> {
  const cached = await cachedRucLookup(sql, companyId, type, ruc, maxAgeMs);
  if (cached) {
    const { lookedUpAt: _at, ...info } = cached;
    return { ok: true, source: 'cache', info };
  }
  const answer = await account.rucLookup(type, ruc);
  if (!answer.ok) return answer;
  await saveRucLookup(sql, companyId, answer.info);
  return { ok: true, source: 'pac', info: answer.info };
}
