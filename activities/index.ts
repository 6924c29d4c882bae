import { createCertificateWatchActivities } from './certificate-watch-activities.js';
import { createDiagnosticActivities, type DiagnosticDeps } from './diagnostic-activities.js';
import { createDocumentActivities, type DocumentActivityDeps } from './document-activities.js';

export type ActivityDeps = DiagnosticDeps & DocumentActivityDeps;

/** Every activity the worker registers, built from injected dependencies so tests can swap them. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDiagnosticActivities(deps),
    ...createDocumentActivities(deps),
    ...createCertificateWatchActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
