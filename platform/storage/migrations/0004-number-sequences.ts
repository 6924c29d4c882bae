import type { Sql } from '../database.js';

/** Gap-free fiscal numbers per (company, environment, branch, point of sale, document type). */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table document_number_sequences (
      company_id     uuid not null references companies (id),
      environment    smallint not null,
      branch         text not null,
      point_of_sale  text not null,
      doc_type       text not null,
      last_number    bigint not null check (last_number between 1 and 9999999999),
      primary key (company_id, environment, branch, point_of_sale, doc_type)
    );
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe('drop table document_number_sequences');
}
