import { log } from '@temporalio/activity';
import { certificatesExpiringBefore, recordCertificateEvent } from '../platform/storage/certificate-store.js';
import type { Sql } from '../platform/storage/database.js';

const DAY_MS = 86_400_000;

export interface ExpiryScanResult {
  expiring: number;
  expired: number;
  /** Events recorded by this scan (each certificate and kind is recorded once). */
  newEvents: number;
}

export function createCertificateWatchActivities(deps: { sql: Sql; clock?: () => Date }) {
  return {
    /** Finds active certificates inside the warning window or past expiry; records and logs each once. */
    async scanCertificateExpiry(input: { warningDays: number }): Promise<ExpiryScanResult> {
      const now = deps.clock?.() ?? new Date();
      const due = await certificatesExpiringBefore(
        deps.sql,
        new Date(now.getTime() + input.warningDays * DAY_MS),
      );
      const result: ExpiryScanResult = { expiring: 0, expired: 0, newEvents: 0 };
      for (const certificate of due) {
        const kind = now > certificate.notAfter ? 'expired' : 'expiring';
        result[kind]++;
        const daysLeft = Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS);
        const detail = {
          companyId: certificate.companyId,
          fingerprintSha256: certificate.fingerprintSha256,
          notAfter: certificate.notAfter.toISOString(),
          daysLeft,
        };
        if (await recordCertificateEvent(deps.sql, certificate.id, kind, detail)) {
          result.newEvents++;
          log.warn(
            kind === 'expired'
              ? 'signing certificate expired: documents cannot be signed'
              : 'signing certificate expires soon',
            detail,
          );
        }
      }
      return result;
    },
  };
}

export type CertificateWatchActivities = ReturnType<typeof createCertificateWatchActivities>;
