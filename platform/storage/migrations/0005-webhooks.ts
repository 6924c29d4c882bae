import type { Sql } from '../database.js';

/** Where a company wants state changes POSTed, and the secret (sealed) that signs them. */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table company_webhooks (
      company_id     uuid primary key references companies (id),
      url            text not null,
      secret_key_id  text not null,
      secret_sealed  bytea not null,
      updated_at     timestamptz not null default now()
    );
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe('drop table company_webhooks');
}
