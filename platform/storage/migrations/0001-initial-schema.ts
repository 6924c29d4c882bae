import type { Sql } from '../database.js';

/**
 * companies: the issuers (tenants). documents: one row per fiscal document, unique on its business key,
 * the lasting guard against issuing twice (workflow-id deduplication ends with retention).
 * document_events: append-only audit of every state change; a trigger refuses updates and deletes.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table companies (
      id            uuid primary key default gen_random_uuid(),
      ruc_type      smallint not null check (ruc_type in (1, 2)),
      ruc           text not null check (length(ruc) between 5 and 20),
      dv            text not null check (dv ~ '^[0-9]{2}$'),
      name          text not null check (length(name) between 1 and 200),
      created_at    timestamptz not null default now(),
      updated_at    timestamptz not null default now(),
      unique (ruc)
    );

    create table documents (
      id              uuid primary key default gen_random_uuid(),
      company_id      uuid not null references companies (id),
      environment     smallint not null check (environment in (1, 2)),
      doc_type        text not null check (doc_type ~ '^[0-9]{2}$'),
      branch          text not null check (branch ~ '^[a-zA-Z0-9]{4}$'),
      point_of_sale   text not null check (point_of_sale ~ '^[0-9]{3}$'),
      number          text not null check (number ~ '^[0-9]{10}$'),
      workflow_id     text not null unique,
      status          text not null,
      cufe            text check (cufe is null or length(cufe) = 66),
      request_hash    text not null,
      total           numeric(13, 2),
      created_at      timestamptz not null default now(),
      updated_at      timestamptz not null default now(),
      constraint documents_business_key unique (company_id, environment, doc_type, branch, point_of_sale, number)
    );
    create index documents_company_status on documents (company_id, status);

    create table document_events (
      id            bigserial primary key,
      document_id   uuid not null references documents (id),
      seq           integer not null,
      kind          text not null,
      from_status   text,
      to_status     text,
      actor         text not null,
      detail        jsonb not null default '{}'::jsonb,
      created_at    timestamptz not null default now(),
      unique (document_id, seq)
    );

    create function refuse_document_event_change() returns trigger language plpgsql as $$
    begin
      raise exception 'document_events is append-only (% refused)', tg_op using errcode = '42501';
    end $$;
    create trigger document_events_append_only before update or delete on document_events
      for each row execute function refuse_document_event_change();

    create table diagnostic_probes (
      probe_id        text primary key,
      note            text not null,
      worker_identity text not null,
      recorded_at     timestamptz not null default now()
    );
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    drop table if exists diagnostic_probes;
    drop table if exists document_events;
    drop function if exists refuse_document_event_change();
    drop table if exists documents;
    drop table if exists companies;
  `);
}
