import type { Sql } from '../database.js';

/**
 * company_certificates: each company's P12 and its password, sealed with AES-256-GCM (secrets/), never in
 * plain columns; one active per company, replaced ones kept as history. certificate_events: what the
 * expiry watch noticed (once per certificate and kind). documents gain their XML, digest and CUFE.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table company_certificates (
      id                  uuid primary key default gen_random_uuid(),
      company_id          uuid not null references companies (id),
      status              text not null check (status in ('active', 'replaced', 'deleted')),
      secret_key_id       text,
      p12_sealed          bytea,
      password_sealed     bytea,
      subject             text not null,
      issuer              text not null,
      serial_number       text not null,
      fingerprint_sha256  text not null,
      ruc_in_subject      text,
      not_before          timestamptz not null,
      not_after           timestamptz not null,
      uploaded_at         timestamptz not null default now(),
      ended_at            timestamptz,
      check ((status = 'deleted') = (p12_sealed is null))
    );
    create unique index company_certificates_one_active on company_certificates (company_id) where status = 'active';
    create index company_certificates_expiry on company_certificates (not_after) where status = 'active';

    create table certificate_events (
      id              bigserial primary key,
      certificate_id  uuid not null references company_certificates (id),
      kind            text not null check (kind in ('expiring', 'expired')),
      detail          jsonb not null default '{}'::jsonb,
      created_at      timestamptz not null default now(),
      unique (certificate_id, kind)
    );

    alter table documents
      add column request         jsonb,
      add column unsigned_xml    text,
      add column digest_value    text,
      add column signed_xml      text,
      add column qr_url          text,
      add column certificate_id  uuid references company_certificates (id);
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table documents drop column request, drop column unsigned_xml, drop column digest_value,
      drop column signed_xml, drop column qr_url, drop column certificate_id;
    drop table certificate_events;
    drop table company_certificates;
  `);
}
