import type { Role } from '../access/roles.js';
import type { Sql } from './database.js';
import { isUuid } from './ids.js';

export interface ApiKeyRecord {
  id: string;
  companyId: string;
  prefix: string;
  role: Role;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  company_id: string;
  prefix: string;
  key_hash: Buffer;
  role: Role;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  companyId: row.company_id,
  prefix: row.prefix,
  role: row.role,
  name: row.name,
  createdAt: row.created_at.toISOString(),
  expiresAt: iso(row.expires_at),
  revokedAt: iso(row.revoked_at),
  lastUsedAt: iso(row.last_used_at),
});

export async function insertApiKey(
  sql: Sql,
  key: { companyId: string; prefix: string; hash: Buffer; role: Role; name: string; expiresAt?: Date },
): Promise<ApiKeyRecord> {
  const [row] = await sql<ApiKeyRow[]>`
    insert into api_keys (company_id, prefix, key_hash, role, name, expires_at)
    values (${key.companyId}, ${key.prefix}, ${key.hash}, ${key.role}, ${key.name}, ${key.expiresAt ?? null})
    returning *`;
  return toRecord(row!);
}

export async function findApiKeyByPrefix(
  sql: Sql,
  prefix: string,
): Promise<(ApiKeyRecord & { hash: Buffer }) | undefined> {
  const [row] = await sql<ApiKeyRow[]>`select * from api_keys where prefix = ${prefix}`;
  return row ? { ...toRecord(row), hash: row.key_hash } : undefined;
}

export async function listApiKeys(sql: Sql, companyId: string): Promise<ApiKeyRecord[]> {
  const rows = await sql<ApiKeyRow[]>`
    select * from api_keys where company_id = ${companyId} order by created_at, id`;
  return rows.map(toRecord);
}

/** Revokes a key of this company; false when the company has no such (unrevoked) key. */
export async function revokeApiKey(sql: Sql, companyId: string, keyId: string): Promise<boolean> {
  if (!isUuid(keyId)) return false;
  const rows = await sql`
    update api_keys set revoked_at = now()
    where id = ${keyId} and company_id = ${companyId} and revoked_at is null returning id`;
  return rows.length === 1;
}

/** At most once a minute per key, so busy keys do not write on every request. */
export async function touchApiKey(sql: Sql, keyId: string): Promise<void> {
  await sql`
    update api_keys set last_used_at = now()
    where id = ${keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
}
