import type { Sql } from '../database.js';

/**
 * API keys per company (only a SHA-256 of the key is kept), the answers to idempotent POSTs (sealed, as some
 * carry a secret shown once), and the previous webhook secret that still signs while receivers switch over.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table api_keys (
      id            uuid primary key default gen_random_uuid(),
      company_id    uuid not null references companies (id),
      prefix        text not null unique,
      key_hash      bytea not null,
      role          text not null check (role in ('integrator', 'operator', 'admin')),
      name          text not null,
      created_at    timestamptz not null default now(),
      expires_at    timestamptz,
      revoked_at    timestamptz,
      last_used_at  timestamptz
    );
    create index api_keys_company on api_keys (company_id);

    create table idempotent_requests (
      company_id        uuid not null references companies (id),
      idempotency_key   text not null,
      request_hash      bytea not null,
      state             text not null check (state in ('in-progress', 'done')),
      status            smallint,
      response_key_id   text,
      response_sealed   bytea,
      created_at        timestamptz not null default now(),
      primary key (company_id, idempotency_key)
    );
    create index idempotent_requests_created on idempotent_requests (created_at);

    alter table company_webhooks
      add column previous_secret_key_id text,
      add column previous_secret_sealed bytea,
      add column previous_secret_until  timestamptz;
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table company_webhooks
      drop column previous_secret_key_id, drop column previous_secret_sealed, drop column previous_secret_until;
    drop table idempotent_requests;
    drop table api_keys;
  `);
}
