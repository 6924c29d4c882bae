import type { Sql } from '../database.js';

/**
 * The seller's rounding convention (issue #27 §1, domain/dgi-document/rounding.ts): a company's default, and the
 * convention each document was accepted with (the build step uses the same).
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table companies add column line_decimals smallint check (line_decimals in (2, 6));
    alter table documents add column line_decimals smallint check (line_decimals in (2, 6));
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table documents drop column line_decimals;
    alter table companies drop column line_decimals;
  `);
}
