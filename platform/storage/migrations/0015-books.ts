import type { Sql } from '../database.js';

/**
 * The ITBMS books (issue #28, domain/books): when a document was issued (dFechaEm, the period it belongs
 * to) and its ITBMS by rate, kept when it is built or received so a month's book is one indexed read.
 * Documents from before this migration have neither: the books read them from their XML.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table documents add column issued_at timestamptz;
    alter table documents add column tax_lines jsonb;
    create index documents_company_issued on documents (company_id, environment, issued_at);
    alter table received_documents add column tax_lines jsonb;
    create index received_documents_company_issued on received_documents (company_id, environment, issued_at);
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    drop index received_documents_company_issued;
    alter table received_documents drop column tax_lines;
    drop index documents_company_issued;
    alter table documents drop column tax_lines;
    alter table documents drop column issued_at;
  `);
}
