import { createDiagnosticActivities, type DiagnosticDeps } from './diagnostic-activities.js';

export type ActivityDeps = DiagnosticDeps;

/** Every activity the worker registers, built from injected dependencies so tests can swap them. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDiagnosticActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
