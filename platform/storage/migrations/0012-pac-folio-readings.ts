import type { Sql } from '../database.js';

/** The prepaid folio readings belong to the PAC account capability, not to one PAC: the table says so. */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table hka_folio_readings rename to pac_folio_readings;
    alter index hka_folio_readings_company rename to pac_folio_readings_company;
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter index pac_folio_readings_company rename to hka_folio_readings_company;
    alter table pac_folio_readings rename to hka_folio_readings;
  `);
}
