import type { Sql } from '../database.js';

/**
 * contingencies: each time a company issued (or issues) in contingency (dgi-fe §14): since when, why, who
 * opened and ended it, the evidence of an automatic start. At most one open per company and environment.
 * pac_reachability: consecutive PAC calls that never got an answer, per company and environment (the
 * evidence an automatic contingency starts from).
 * companies.contingency_settings: the company's contingency choices (domain/contingency/contingency-settings.ts).
 * documents.contingency_id: the contingency a document was issued under; documents.handed_over_at: when
 * its CAFE or signed XML first left fepa (a document handed to a customer is never re-issued).
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table contingencies (
      id            uuid primary key default gen_random_uuid(),
      company_id    uuid not null references companies (id),
      environment   smallint not null check (environment in (1, 2)),
      since         timestamptz not null,
      reason        text not null check (length(reason) between 15 and 250),
      explanation   text,
      opened_by     text not null,
      opened_at     timestamptz not null default now(),
      evidence      jsonb,
      workflow_id   text not null,
      ended_at      timestamptz,
      ended_by      text,
      transmitted   integer
    );
    create unique index contingencies_one_open on contingencies (company_id, environment) where ended_at is null;

    create table pac_reachability (
      company_id            uuid not null references companies (id),
      environment           smallint not null check (environment in (1, 2)),
      consecutive_failures  integer not null default 0,
      failing_since         timestamptz,
      last_failure          text,
      last_success_at       timestamptz,
      updated_at            timestamptz not null default now(),
      primary key (company_id, environment)
    );

    alter table companies add column contingency_settings jsonb not null default '{}'::jsonb;
    alter table documents add column contingency_id uuid references contingencies (id);
    alter table documents add column handed_over_at timestamptz;
    create index documents_contingency on documents (contingency_id, number) where contingency_id is not null;
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table documents drop column handed_over_at;
    alter table documents drop column contingency_id;
    alter table companies drop column contingency_settings;
    drop table pac_reachability;
    drop table contingencies;
  `);
}
