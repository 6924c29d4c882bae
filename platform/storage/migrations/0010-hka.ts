import type { Sql } from '../database.js';

/**
 * The Factory HKA (issue #16): the PAC name is allowed; hka_folio_readings keeps each FoliosRestantes
 * answer (the figures and whether they were under the company's alert threshold);
 * company_pac_settings.folio_alert_threshold is that threshold, check_receiver_ruc whether a contributor
 * receiver's RUC is looked up before submission; ruc_lookups caches ConsultarRucDV answers
 * (public registry data: DV, name, enrolment), per company because each asks through its own account.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table company_pac_settings drop constraint company_pac_settings_pac_check;
    alter table company_pac_settings add constraint company_pac_settings_pac_check
      check (pac in ('sandbox', 'aludra', 'edoc', 'hka'));
    alter table company_pac_settings add column folio_alert_threshold integer not null default 100
      check (folio_alert_threshold >= 0);
    alter table company_pac_settings add column check_receiver_ruc boolean not null default false;

    create table hka_folio_readings (
      id              bigserial primary key,
      company_id      uuid not null references companies (id),
      read_at         timestamptz not null default now(),
      available       integer,
      cycle_available integer,
      figures         jsonb not null,
      below_threshold boolean not null,
      reason          text not null check (reason in ('schedule', 'request', 'no-folios'))
    );
    create index hka_folio_readings_company on hka_folio_readings (company_id, read_at desc);

    create table ruc_lookups (
      company_id     uuid not null references companies (id),
      ruc_type       smallint not null check (ruc_type in (1, 2)),
      ruc            text not null,
      dv             text not null,
      name           text not null,
      enrolled       boolean not null,
      looked_up_at   timestamptz not null default now(),
      primary key (company_id, ruc_type, ruc)
    );
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    drop table ruc_lookups;
    drop table hka_folio_readings;
    alter table company_pac_settings drop column folio_alert_threshold;
    alter table company_pac_settings drop column check_receiver_ruc;
    delete from company_pac_settings where pac = 'hka';
    alter table company_pac_settings drop constraint company_pac_settings_pac_check;
    alter table company_pac_settings add constraint company_pac_settings_pac_check
      check (pac in ('sandbox', 'aludra', 'edoc'));
  `);
}
