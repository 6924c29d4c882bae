import { log, ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { FolioCheck, PacAccountActivities, RucLookup } from '../activities/pac-account-activities.js';
import { folioLowEvent } from '../common/folio-alert.js';
import { webhookDeliveryWorkflow } from './webhook-delivery-workflow.js';

/** HKA calls run on HKA's rate-limited task queue (named in the input: test workers use a prefix). */
const accountActivities = (pacTaskQueue: string) =>
  proxyActivities<PacAccountActivities>({
    taskQueue: pacTaskQueue,
    startToCloseTimeout: '1m',
    retry: { initialInterval: '5s', maximumInterval: '2m', maximumAttempts: 6 },
  });

export interface FolioWatchInput {
  pacTaskQueue: string;
  /** One company (a read on request), or every HKA company (the daily schedule). */
  companyId?: string;
  reason: 'schedule' | 'request' | 'no-folios';
}

/**
 * Reads the prepaid folios of HKA companies (FoliosRestantes): each reading is recorded; under the
 * company's threshold it is logged and announced to the company's webhook (`folios.low`).
 */
export async function folioWatchWorkflow(input: FolioWatchInput): Promise<FolioCheck[]> {
  const acts = accountActivities(input.pacTaskQueue);
  const companies = input.companyId ? [input.companyId] : await acts.accountCompanies();
  const checks: FolioCheck[] = [];
  for (const companyId of companies) {
    const check = await acts.readAccountFolios({ companyId, reason: input.reason });
    checks.push(check);
    if (!check.ok) {
      log.warn('prepaid folios could not be read', { companyId, code: check.code, message: check.message });
      continue;
    }
    if (!check.reading.belowThreshold) continue;
    const event = folioLowEvent(companyId, check.reading, check.threshold, input.reason);
    await startChild(webhookDeliveryWorkflow, {
      workflowId: `webhook:${event.eventId}`,
      args: [{ companyId, event }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }
  log.info('prepaid folios read', { workflowId: workflowInfo().workflowId, companies: companies.length });
  return checks;
}

/** ConsultarRucDV through a company's HKA account (cached answers within `maxAgeMs`). */
export async function rucLookupWorkflow(input: {
  pacTaskQueue: string;
  companyId: string;
  type: '1' | '2';
  ruc: string;
  maxAgeMs: number;
}): Promise<RucLookup> {
  const { pacTaskQueue, ...lookup } = input;
  return accountActivities(pacTaskQueue).lookUpRuc(lookup);
}
