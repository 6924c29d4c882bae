import { activeCertificate } from '../platform/storage/certificate-store.js';
import type { Sql } from '../platform/storage/database.js';
import { findPacSettings } from '../platform/storage/pac-settings-store.js';
import type { PacCapabilities } from './pac-adapter.js';
import { pacCapabilitiesOf } from './pac-capabilities.js';

/**
 * Whether a company can hand its customers a valid document while its PAC cannot be reached (issue #27 §3,
 * docs/contingency.md): somebody must sign it now, offline, and the PAC must later transmit that very
 * document, or at least keep its CUFE. fepa can sign only with the company's own certificate.
 */
export type ContingencyCopy =
  { possible: true; how: string } | { possible: false; reason: string; remedy: string };

export interface CompanySigningFacts {
  pac: string;
  capabilities: PacCapabilities;
  /** The company's active certificate, if fepa holds one: expired ones cannot sign. */
  certificate?: { notAfter: Date } | undefined;
}

/** The one decision: where fepa signs anyway, where a PAC that signs takes fepa's copy, or neither. */
export function contingencyCopy(facts: CompanySigningFacts, now: Date): ContingencyCopy {
  const { pac, capabilities, certificate } = facts;
  if (capabilities.signs === 'pac' && !capabilities.signedCopy)
    return {
      possible: false,
      reason: `${pac} signs this company's documents and cannot take one the company signed itself: a contingency document would reach the customer unsigned, with no valid CAFE`,
      remedy: `wait for ${pac} to answer again; documents stay queued and their pending-authorization copy (GET …/cafe?provisional=true) says so`,
    };
  if (!certificate)
    return {
      possible: false,
      reason: `fepa holds no certificate of this company, so it cannot sign a contingency document${capabilities.signs === 'pac' ? ` (${pac} signs its documents in normal operation)` : ''}`,
      remedy:
        "upload the company's certificate (PUT /v1/companies/{id}/certificate); meanwhile documents stay queued with a pending-authorization copy",
    };
  if (certificate.notAfter.getTime() <= now.getTime())
    return {
      possible: false,
      reason: `the company's certificate expired on ${certificate.notAfter.toISOString().slice(0, 10)}: a contingency document could not be signed`,
      remedy: "upload the company's new certificate (PUT /v1/companies/{id}/certificate)",
    };
  return capabilities.signs === 'fepa'
    ? {
        possible: true,
        how: `fepa signs as always; ${pac} receives the signed document when it answers again`,
      }
    : {
        possible: true,
        how: `fepa signs the contingency document with the company's certificate and hands over its CAFE; ${pac} receives it through ${capabilities.signedCopy!.via}`,
      };
}

/** The decision for a company, from its PAC settings and its active certificate. */
export async function companyContingencyCopy(
  sql: Sql,
  companyId: string,
  now: Date,
): Promise<ContingencyCopy> {
  const [settings, certificate] = await Promise.all([
    findPacSettings(sql, companyId),
    activeCertificate(sql, companyId),
  ]);
  return contingencyCopy(
    { pac: settings.pac, capabilities: pacCapabilitiesOf(settings.pac), certificate },
    now,
  );
}
