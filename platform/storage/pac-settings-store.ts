import type { SecretBox } from '../secrets/secret-box.js';
import type { Sql } from './database.js';
import type { PacCredentials, PacName } from '../../common/pac-settings.js';

export type { PacCredentials, PacName };

export interface PacSettings {
  companyId: string;
  pac: PacName;
  baseUrl: string | null;
  autoSubmit: boolean;
  updatedAt: Date;
  hasCredentials: boolean;
}

const context = (companyId: string) => `company:${companyId}:pac-credentials`;

export async function savePacSettings(
  sql: Sql,
  box: SecretBox,
  input: {
    companyId: string;
    pac: PacName;
    baseUrl?: string | undefined;
    autoSubmit: boolean;
    credentials?: PacCredentials | undefined;
  },
): Promise<void> {
  const sealed = input.credentials
    ? box.seal(JSON.stringify(input.credentials), context(input.companyId))
    : undefined;
  await sql`
    insert into company_pac_settings (company_id, pac, base_url, secret_key_id, credentials_sealed, auto_submit)
    values (${input.companyId}, ${input.pac}, ${input.baseUrl ?? null}, ${sealed?.keyId ?? null}, ${sealed?.ciphertext ?? null}, ${input.autoSubmit})
    on conflict (company_id) do update set pac = excluded.pac, base_url = excluded.base_url,
      secret_key_id = excluded.secret_key_id, credentials_sealed = excluded.credentials_sealed,
      auto_submit = excluded.auto_submit, updated_at = now()`;
}

/** Public view of the settings (never the credentials). Companies without settings use the sandbox. */
export async function findPacSettings(sql: Sql, companyId: string): Promise<PacSettings> {
  const [row] = await sql<
    Array<{ pac: PacName; base_url: string | null; auto_submit: boolean; updated_at: Date; has: boolean }>
  >`
    select pac, base_url, auto_submit, updated_at, credentials_sealed is not null as has from company_pac_settings where company_id = ${companyId}`;
  if (!row)
    return {
      companyId,
      pac: 'sandbox',
      baseUrl: null,
      autoSubmit: true,
      updatedAt: new Date(0),
      hasCredentials: false,
    };
  return {
    companyId,
    pac: row.pac,
    baseUrl: row.base_url,
    autoSubmit: row.auto_submit,
    updatedAt: row.updated_at,
    hasCredentials: row.has,
  };
}

export async function openPacCredentials(
  sql: Sql,
  box: SecretBox,
  companyId: string,
): Promise<PacCredentials | undefined> {
  const [row] = await sql<Array<{ secret_key_id: string | null; credentials_sealed: Buffer | null }>>`
    select secret_key_id, credentials_sealed from company_pac_settings where company_id = ${companyId}`;
  if (!row?.credentials_sealed || !row.secret_key_id) return undefined;
  return JSON.parse(
    box
      .open({ keyId: row.secret_key_id, ciphertext: row.credentials_sealed }, context(companyId))
      .toString('utf8'),
  ) as PacCredentials;
}
