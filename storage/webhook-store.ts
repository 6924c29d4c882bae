import type { SecretBox } from '../secrets/secret-box.js';
import type { Sql } from './database.js';

const context = (companyId: string) => `company:${companyId}:webhook-secret`;

export async function saveWebhook(
  sql: Sql,
  box: SecretBox,
  companyId: string,
  url: string,
  secret: string,
): Promise<void> {
  const sealed = box.seal(secret, context(companyId));
  await sql`insert into company_webhooks (company_id, url, secret_key_id, secret_sealed) values (${companyId}, ${url}, ${sealed.keyId}, ${sealed.ciphertext})
    on conflict (company_id) do update set url = excluded.url, secret_key_id = excluded.secret_key_id, secret_sealed = excluded.secret_sealed, updated_at = now()`;
}

export async function findWebhookUrl(sql: Sql, companyId: string): Promise<string | undefined> {
  const [row] = await sql<
    Array<{ url: string }>
  >`select url from company_webhooks where company_id = ${companyId}`;
  return row?.url;
}

export async function openWebhook(
  sql: Sql,
  box: SecretBox,
  companyId: string,
): Promise<{ url: string; secret: string } | undefined> {
  const [row] = await sql<Array<{ url: string; secret_key_id: string; secret_sealed: Buffer }>>`
    select url, secret_key_id, secret_sealed from company_webhooks where company_id = ${companyId}`;
  if (!row) return undefined;
  return {
    url: row.url,
    secret: box
      .open({ keyId: row.secret_key_id, ciphertext: row.secret_sealed }, context(companyId))
      .toString('utf8'),
  };
}
