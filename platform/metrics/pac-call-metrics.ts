import { Counter, Histogram, type Registry } from 'prom-client';

/** What one PAC call came to, as the metrics count it. */
export interface PacCallObservation {
  pac: string;
  operation: string;
  /** The unified status (authorized, transient, error-needs-support…). */
  status: string;
  elapsedMs: number;
  /** False when the PAC gave no usable answer (timeout, connection refused, a 5xx page). */
  answered: boolean;
}

/** PAC calls by PAC: latency, and failures (no answer at all, or an answer that needs support). */
export class PacCallMetrics {
  private readonly duration: Histogram;
  private readonly failures: Counter;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'fepa_pac_call_duration_seconds',
      help: 'PAC calls for documents, by PAC, operation and unified outcome.',
      labelNames: ['pac', 'operation', 'status'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'fepa_pac_call_failures_total',
      help: 'PAC calls that failed: unanswered (no usable answer) or error (an answer support must read).',
      labelNames: ['pac', 'operation', 'kind'],
      registers: [registry],
    });
  }

  observe(o: PacCallObservation): void {
    this.duration.observe({ pac: o.pac, operation: o.operation, status: o.status }, o.elapsedMs / 1000);
    if (!o.answered) this.failures.inc({ pac: o.pac, operation: o.operation, kind: 'unanswered' });
    else if (o.status === 'error-needs-support')
      this.failures.inc({ pac: o.pac, operation: o.operation, kind: 'error' });
  }
}
