import type { HkaAdapter, HkaRucInfo } from '../pac/hka/hka-adapter.js';
import type { PacResult } from '../pac/pac-result.js';
import type { Sql } from '../platform/storage/database.js';
import { cachedRucLookup, saveRucLookup } from '../platform/storage/hka-store.js';

/**
 * A RUC from the DGI registry through the company's HKA account: the cached answer when it is fresher than
 * `maxAgeMs`, else HKA's (then cached). The one path for look-ups asked for and for the receiver check.
 */
export async function rucFromRegistry(
  sql: Sql,
  companyId: string,
  hka: HkaAdapter,
  type: '1' | '2',
  ruc: string,
  maxAgeMs: number,
): Promise<{ ok: true; source: 'cache' | 'hka'; info: HkaRucInfo } | { ok: false; result: PacResult }> {
  const cached = await cachedRucLookup(sql, companyId, type, ruc, maxAgeMs);
  if (cached) {
    const { lookedUpAt: _at, ...info } = cached;
    return { ok: true, source: 'cache', info };
  }
  const answer = await hka.rucLookup(type, ruc);
  if (!answer.ok) return answer;
  await saveRucLookup(sql, companyId, answer.info);
  return { ok: true, source: 'hka', info: answer.info };
}
