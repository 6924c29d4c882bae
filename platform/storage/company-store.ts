import type { Sql } from './database.js';
import { isUuid } from './ids.js';

export interface Company {
  id: string;
  rucType: '1' | '2';
  ruc: string;
  dv: string;
  name: string;
}

interface CompanyRow {
  id: string;
  ruc_type: number;
  ruc: string;
  dv: string;
  name: string;
}

const toCompany = (row: CompanyRow): Company => ({
  id: row.id,
  rucType: String(row.ruc_type) as '1' | '2',
  ruc: row.ruc,
  dv: row.dv,
  name: row.name,
});

export async function createCompany(sql: Sql, company: Omit<Company, 'id'>): Promise<Company> {
  const [row] = await sql<CompanyRow[]>`
    insert into companies (ruc_type, ruc, dv, name)
    values (${Number(company.rucType)}, ${company.ruc}, ${company.dv}, ${company.name})
    returning id, ruc_type, ruc, dv, name`;
  return toCompany(row!);
}

export async function findCompany(sql: Sql, id: string): Promise<Company | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await sql<CompanyRow[]>`select id, ruc_type, ruc, dv, name from companies where id = ${id}`;
  return row ? toCompany(row) : undefined;
}

export async function findCompanyByRuc(sql: Sql, ruc: string): Promise<Company | undefined> {
  const [row] = await sql<CompanyRow[]>`select id, ruc_type, ruc, dv, name from companies where ruc = ${ruc}`;
  return row ? toCompany(row) : undefined;
}

/** The name receivers see as the sender of the company's e-mails (null: the company's name). */
export async function setMailSenderName(sql: Sql, companyId: string, name: string | null): Promise<boolean> {
  if (!isUuid(companyId)) return false;
  const rows =
    await sql`update companies set mail_sender_name = ${name} where id = ${companyId} returning id`;
  return rows.length === 1;
}

/** The company's item-amount convention (rounding.ts): 2 or 6 decimals; null: fepa's default (6). */
export async function companyLineDecimals(sql: Sql, companyId: string): Promise<2 | 6 | null> {
  const [row] = await sql<Array<{ line_decimals: 2 | 6 | null }>>`
    select line_decimals from companies where id = ${companyId}`;
  return row?.line_decimals ?? null;
}

export async function setCompanyLineDecimals(
  sql: Sql,
  companyId: string,
  decimals: 2 | 6 | null,
): Promise<boolean> {
  if (!isUuid(companyId)) return false;
  const rows =
    await sql`update companies set line_decimals = ${decimals} where id = ${companyId} returning id`;
  return rows.length === 1;
}
