/** Task queue names, shared by the worker, the API and tests so nobody polls the wrong queue. */
export const TASK_QUEUES = {
  /** Workflows and CPU-bound activities (building, signing). */
  documents: 'fepa-documents',
} as const;
