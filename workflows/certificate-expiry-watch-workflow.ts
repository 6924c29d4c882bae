import { proxyActivities } from '@temporalio/workflow';
import type {
  CertificateWatchActivities,
  ExpiryScanResult,
} from '../activities/certificate-watch-activities.js';

const { scanCertificateExpiry } = proxyActivities<CertificateWatchActivities>({
  startToCloseTimeout: '2m',
  retry: { maximumAttempts: 5, initialInterval: '10s' },
});

/** Run daily by a Temporal Schedule: notices certificates about to expire, or expired. */
export async function certificateExpiryWatchWorkflow(input: {
  warningDays: number;
}): Promise<ExpiryScanResult> {
  return scanCertificateExpiry(input);
}
