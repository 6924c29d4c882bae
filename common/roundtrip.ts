/** A diagnostic round trip: API → Temporal → worker → PostgreSQL → back. Proves the whole chain is alive. */
export interface RoundtripInput {
  /** Free text stored with the probe so operators can tell their probes apart. */
  note: string;
}

export interface RoundtripResult {
  probeId: string;
  note: string;
  /** Time the worker's activity wrote the probe row, ISO 8601. */
  recordedAt: string;
  workerIdentity: string;
}

export const roundtripWorkflowId = (probeId: string): string => `diagnostic:roundtrip:${probeId}`;
