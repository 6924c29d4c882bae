import type { Sql } from '../database.js';

/**
 * Receiving (issue #26, docs/receiving.md): suppliers' documents, one per company and CUFE whichever door
 * they came through; the company's mailbox (password sealed) and the messages already read; receiving settings.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table received_documents (
      id             uuid primary key default gen_random_uuid(),
      company_id     uuid not null references companies (id),
      cufe           text not null check (length(cufe) = 66),
      environment    smallint not null check (environment in (1, 2)),
      doc_type       text not null,
      supplier_ruc   text not null,
      supplier_name  text not null,
      number         text not null,
      point_of_sale  text not null,
      issued_at      timestamptz,
      total          numeric(20, 2) not null default 0,
      itbms          numeric(20, 2) not null default 0,
      xml            text not null,
      sources        text[] not null,
      status         text not null default 'received',
      report         jsonb,
      dgi            jsonb,
      manifestation  jsonb,
      workflow_id    text not null,
      created_at     timestamptz not null default now(),
      updated_at     timestamptz not null default now(),
      unique (company_id, cufe)
    );
    create index received_documents_company_created on received_documents (company_id, created_at desc, id desc);
    create index received_documents_company_supplier on received_documents (company_id, supplier_ruc);

    create table company_mailboxes (
      company_id       uuid primary key references companies (id),
      host             text not null,
      port             integer not null check (port between 1 and 65535),
      secure           boolean not null,
      username         text not null,
      secret_key_id    text not null,
      password_sealed  bytea not null,
      folder           text not null default 'INBOX',
      when_done        text not null check (when_done in ('move', 'flag')),
      done_folder      text,
      enabled          boolean not null default true,
      uid_validity     bigint,
      last_uid         bigint not null default 0,
      last_read_at     timestamptz,
      last_error       text,
      updated_at       timestamptz not null default now()
    );

    create table received_mail_messages (
      company_id    uuid not null references companies (id),
      uid_validity  bigint not null,
      uid           bigint not null,
      message_id    text,
      outcome       jsonb not null,
      read_at       timestamptz not null default now(),
      primary key (company_id, uid_validity, uid)
    );

    create table company_receiving_settings (
      company_id        uuid primary key references companies (id),
      auto_acknowledge  text check (auto_acknowledge in ('1001', '1002', '1003')),
      updated_at        timestamptz not null default now()
    );
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    drop table company_receiving_settings;
    drop table received_mail_messages;
    drop table company_mailboxes;
    drop table received_documents;
  `);
}
