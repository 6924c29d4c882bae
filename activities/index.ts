import type { SecretBox } from '../platform/secrets/secret-box.js';
import { createCertificateWatchActivities } from './certificate-watch-activities.js';
import { createContingencyActivities } from './contingency-activities.js';
import { createDeliveryActivities, type DeliveryActivityDeps } from './delivery-activities.js';
import { createDiagnosticActivities, type DiagnosticDeps } from './diagnostic-activities.js';
import { createDocumentActivities, type DocumentActivityDeps } from './document-activities.js';
import { createPacActivities, type PacActivityDeps } from './pac-activities.js';
import { createRecordActivities } from './record-activities.js';
import { createReceivingActivities } from './receiving-activities.js';
import { createWebhookActivities } from './webhook-activities.js';

export type ActivityDeps = DiagnosticDeps &
  DocumentActivityDeps &
  DeliveryActivityDeps &
  PacActivityDeps & {
    box: SecretBox;
    allowedHosts: readonly string[];
  };

/** Every activity the worker registers, built from injected dependencies so tests can swap them. */
export function createActivities(deps: ActivityDeps) {
  const pac = createPacActivities(deps);
  return {
    ...createDiagnosticActivities(deps),
    ...createDocumentActivities(deps),
    ...createCertificateWatchActivities(deps),
    ...createRecordActivities(deps),
    ...createWebhookActivities(deps),
    ...createDeliveryActivities(deps),
    ...createContingencyActivities(deps),
    ...createReceivingActivities(deps),
    // Only the signature mode runs here; PAC calls run on the per-PAC task queues.
    pacSignatureMode: (input: { companyId: string }) => pac.pacSignatureMode(input),
  };
}

export type Activities = ReturnType<typeof createActivities>;
