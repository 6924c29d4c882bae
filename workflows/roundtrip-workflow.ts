import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RoundtripInput, RoundtripResult } from '../common/roundtrip.js';
import type { DiagnosticActivities } from '../activities/diagnostic-activities.js';

const { recordRoundtripProbe } = proxyActivities<DiagnosticActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3, initialInterval: '200ms' },
});

/** Runs one activity that writes to PostgreSQL: a worker is polling and can reach the database. */
export async function roundtripWorkflow(input: RoundtripInput): Promise<RoundtripResult> {
  const probeId = workflowInfo().workflowId;
  return recordRoundtripProbe({ probeId, note: input.note });
}
