import { Gauge, type Registry } from 'prom-client';
import type { Sql } from '../storage/database.js';

/**
 * fepa's state as gauges, read from PostgreSQL when Prometheus scrapes (never stale, no background work):
 * documents by status and PAC, received documents by status, open contingencies, days left on each
 * active certificate, the PAC's prepaid folios left. Served by the API (docs/operations.md); one scrape is
 * five indexed or grouped reads.
 */
export function registerStateMetrics(registry: Registry, sql: Sql): void {
  new Gauge({
    name: 'fepa_documents',
    help: 'Issued documents by status, PAC and environment (needs_support and rejected wait for a person).',
    labelNames: ['status', 'pac', 'environment'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<Array<{ status: string; pac: string; environment: number; n: number }>>`
        select d.status, coalesce(d.pac, s.pac, 'sandbox') as pac, d.environment, count(*)::int as n
        from documents d left join company_pac_settings s on s.company_id = d.company_id
        group by 1, 2, 3`;
      for (const r of rows)
        this.set({ status: r.status, pac: r.pac, environment: String(r.environment) }, r.n);
    },
  });
  new Gauge({
    name: 'fepa_received_documents',
    help: "Suppliers' documents by status and environment.",
    labelNames: ['status', 'environment'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<Array<{ status: string; environment: number; n: number }>>`
        select status, environment, count(*)::int as n from received_documents group by 1, 2`;
      for (const r of rows) this.set({ status: r.status, environment: String(r.environment) }, r.n);
    },
  });
  new Gauge({
    name: 'fepa_contingency_open',
    help: 'Open contingencies: 1 per company and environment while one is open, with its age in the other gauge.',
    labelNames: ['company_id', 'environment'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<Array<{ company_id: string; environment: number }>>`
        select company_id, environment from contingencies where ended_at is null`;
      for (const r of rows) this.set({ company_id: r.company_id, environment: String(r.environment) }, 1);
    },
  });
  new Gauge({
    name: 'fepa_contingency_open_seconds',
    help: 'How long each open contingency has lasted (the DGI asks for an explanation after 72 hours).',
    labelNames: ['company_id', 'environment'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<Array<{ company_id: string; environment: number; seconds: number }>>`
        select company_id, environment, extract(epoch from now() - since)::float8 as seconds
        from contingencies where ended_at is null`;
      for (const r of rows)
        this.set({ company_id: r.company_id, environment: String(r.environment) }, Math.round(r.seconds));
    },
  });
  new Gauge({
    name: 'fepa_certificate_days_left',
    help: "Days until each company's active signing certificate expires (negative: expired).",
    labelNames: ['company_id'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<Array<{ company_id: string; days: number }>>`
        select company_id, floor(extract(epoch from not_after - now()) / 86400)::int as days
        from company_certificates where status = 'active'`;
      for (const r of rows) this.set({ company_id: r.company_id }, r.days);
    },
  });
  new Gauge({
    name: 'fepa_pac_folios_left',
    help: "Prepaid folios left on each company's PAC account, as last read (HKA).",
    labelNames: ['company_id'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<Array<{ company_id: string; available: number }>>`
        select distinct on (company_id) company_id, available
        from pac_folio_readings where available is not null
        order by company_id, read_at desc`;
      for (const r of rows) this.set({ company_id: r.company_id }, r.available);
    },
  });
}
