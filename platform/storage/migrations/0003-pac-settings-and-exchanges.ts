import type { Sql } from '../database.js';

/**
 * company_pac_settings: which PAC a company uses, its credentials sealed (secrets/), automatic submission.
 * document_pac_exchanges: every call to a PAC for a document, for audit (no credentials in them).
 * document_corrections: corrected requests sent by operators for rejected documents.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table company_pac_settings (
      company_id          uuid primary key references companies (id),
      pac                 text not null check (pac in ('sandbox', 'aludra', 'edoc')),
      base_url            text,
      secret_key_id       text,
      credentials_sealed  bytea,
      auto_submit         boolean not null default true,
      updated_at          timestamptz not null default now()
    );

    create table document_pac_exchanges (
      id            bigserial primary key,
      document_id   uuid not null references documents (id),
      operation     text not null,
      status        text not null,
      pac_code      text,
      pac_message   text,
      dgi_issues    jsonb not null default '[]'::jsonb,
      raw           jsonb not null,
      created_at    timestamptz not null default now()
    );
    create index document_pac_exchanges_document on document_pac_exchanges (document_id, id);

    create table document_corrections (
      id            uuid primary key default gen_random_uuid(),
      document_id   uuid not null references documents (id),
      request       jsonb not null,
      actor         text not null,
      reason        text,
      created_at    timestamptz not null default now()
    );

    alter table documents
      add column protocol      text,
      add column authorized_at text,
      add column pac           text,
      add column last_pac_code text;
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table documents drop column protocol, drop column authorized_at, drop column pac, drop column last_pac_code;
    drop table document_corrections;
    drop table document_pac_exchanges;
    drop table company_pac_settings;
  `);
}
