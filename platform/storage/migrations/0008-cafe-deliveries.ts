import type { Sql } from '../database.js';

/**
 * document_deliveries: every time fepa e-mails a document's CAFE and XML to its receiver (after
 * authorization when `iEntCAFE` is 3, or when an operator resends): where to, how it went, how many tries.
 * companies.mail_sender_name: the name the receiver sees as the sender (the company's name when unset).
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table document_deliveries (
      id uuid primary key,
      document_id uuid not null references documents (id),
      address text not null,
      status text not null check (status in ('sending', 'sent', 'failed')),
      message_id text,
      attempts integer not null default 0,
      last_error text,
      requested_by text not null,
      workflow_id text not null unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index document_deliveries_document on document_deliveries (document_id, created_at);
    alter table companies add column mail_sender_name text;
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table companies drop column mail_sender_name;
    drop table document_deliveries;
  `);
}
