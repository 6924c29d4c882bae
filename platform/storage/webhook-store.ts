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
    on conflict (company_id) do update set url = excluded.url, secret_key_id = excluded.secret_key_id, secret_sealed = excluded.secret_sealed,
      previous_secret_key_id = null, previous_secret_sealed = null, previous_secret_until = null, updated_at = now()`;
}

/**
 * A new secret signs from now on; the current one keeps signing next to it for `overlapHours`, so
 * receivers can switch without losing events. Answers when the old one stops, or undefined without a webhook.
 */
export async function rotateWebhookSecret(
  sql: Sql,
  box: SecretBox,
  companyId: string,
  secret: string,
  overlapHours: number,
): Promise<{ previousValidUntil: Date } | undefined> {
  const sealed = box.seal(secret, context(companyId));
  const [row] = await sql<Array<{ previous_secret_until: Date }>>`
    update company_webhooks
    set previous_secret_key_id = secret_key_id, previous_secret_sealed = secret_sealed,
        previous_secret_until = now() + make_interval(secs => ${overlapHours * 3600}),
        secret_key_id = ${sealed.keyId}, secret_sealed = ${sealed.ciphertext}, updated_at = now()
    where company_id = ${companyId} returning previous_secret_until`;
  return row ? { previousValidUntil: row.previous_secret_until } : undefined;
}

export async function findWebhook(
  sql: Sql,
  companyId: string,
): Promise<{ url: string; previousSecretUntil: string | null } | undefined> {
  const [row] = await sql<Array<{ url: string; previous_secret_until: Date | null }>>`
    select url, case when previous_secret_until > now() then previous_secret_until end as previous_secret_until
    from company_webhooks where company_id = ${companyId}`;
  return row
    ? { url: row.url, previousSecretUntil: row.previous_secret_until?.toISOString() ?? null }
    : undefined;
}

/** The URL and the secrets that sign now: the current one, and the previous one while it overlaps. */
export async function openWebhook(
  sql: Sql,
  box: SecretBox,
  companyId: string,
): Promise<{ url: string; secrets: string[] } | undefined> {
  const [row] = await sql<
    Array<{
      url: string;
      secret_key_id: string;
      secret_sealed: Buffer;
      previous_secret_key_id: string | null;
      previous_secret_sealed: Buffer | null;
      overlapping: boolean;
    }>
  >`
    select url, secret_key_id, secret_sealed, previous_secret_key_id, previous_secret_sealed,
      coalesce(previous_secret_until > now(), false) as overlapping
    from company_webhooks where company_id = ${companyId}`;
  if (!row) return undefined;
  const open = (keyId: string, ciphertext: Buffer) =>
    box.open({ keyId, ciphertext }, context(companyId)).toString('utf8');
  const secrets = [open(row.secret_key_id, row.secret_sealed)];
  if (row.overlapping && row.previous_secret_key_id && row.previous_secret_sealed) {
    secrets.push(open(row.previous_secret_key_id, row.previous_secret_sealed));
  }
  return { url: row.url, secrets };
}

/** Whether the company that owns the document has a webhook to notify. */
export async function documentCompanyHasWebhook(sql: Sql, documentId: string): Promise<boolean> {
  const [row] =
    await sql`select 1 from company_webhooks w join documents d on d.company_id = w.company_id where d.id = ${documentId}`;
  return row !== undefined;
}
