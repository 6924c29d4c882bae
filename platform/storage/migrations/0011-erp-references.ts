import type { Sql } from '../database.js';

/**
 * The integrator's own references of a document (issue #24 §6, common/erp-reference.ts): kept beside the
 * request, outside the signed XML; the ERP's unique code is unique per company and searchable.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table documents add column erp jsonb;
    alter table documents add column erp_code text;
    create unique index documents_company_erp_code on documents (company_id, erp_code) where erp_code is not null;
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    drop index documents_company_erp_code;
    alter table documents drop column erp_code;
    alter table documents drop column erp;
  `);
}
