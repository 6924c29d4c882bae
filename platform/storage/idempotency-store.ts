import type { SecretBox } from '../secrets/secret-box.js';
import type { Sql } from './database.js';

/** The answer to replay: sealed at rest, because some answers carry a secret shown once (a new API key). */
export interface StoredAnswer {
  status: number;
  contentType: string;
  location?: string;
  body: string;
}

export type Reservation =
  | { outcome: 'reserved' }
  | { outcome: 'different-request' }
  | { outcome: 'in-progress' }
  | { outcome: 'replay'; answer: StoredAnswer };

/** Keys are remembered this long; an older one is free again. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
/** A reservation this old whose answer never came (the API process died mid-request) is abandoned. */
const ABANDONED_AFTER_SECONDS = 60;

const context = (companyId: string, key: string) => `company:${companyId}:idempotent:${key}`;

/** Claims a key for a request, or says why not (another request, still running, or already answered). */
export async function reserveIdempotencyKey(
  sql: Sql,
  box: SecretBox,
  input: { companyId: string; key: string; requestHash: Buffer },
): Promise<Reservation> {
  return sql.begin(async (tx) => {
    await tx`
      delete from idempotent_requests
      where company_id = ${input.companyId} and idempotency_key = ${input.key}
        and (created_at < now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})
          or (state = 'in-progress' and created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})))`;
    const inserted = await tx`
      insert into idempotent_requests (company_id, idempotency_key, request_hash, state)
      values (${input.companyId}, ${input.key}, ${input.requestHash}, 'in-progress')
      on conflict do nothing returning 1`;
    if (inserted.length === 1) return { outcome: 'reserved' } as const;
    const [row] = await tx<
      Array<{ request_hash: Buffer; state: string; response_key_id: string; response_sealed: Buffer }>
    >`
      select request_hash, state, response_key_id, response_sealed from idempotent_requests
      where company_id = ${input.companyId} and idempotency_key = ${input.key}`;
    if (!row) return { outcome: 'in-progress' } as const;
    if (!row.request_hash.equals(input.requestHash)) return { outcome: 'different-request' } as const;
    if (row.state !== 'done') return { outcome: 'in-progress' } as const;
    const opened = box.open(
      { keyId: row.response_key_id, ciphertext: row.response_sealed },
      context(input.companyId, input.key),
    );
    return { outcome: 'replay', answer: JSON.parse(opened.toString('utf8')) as StoredAnswer } as const;
  });
}

export async function completeIdempotencyKey(
  sql: Sql,
  box: SecretBox,
  input: { companyId: string; key: string; answer: StoredAnswer },
): Promise<void> {
  const sealed = box.seal(JSON.stringify(input.answer), context(input.companyId, input.key));
  await sql`
    update idempotent_requests
    set state = 'done', status = ${input.answer.status}, response_key_id = ${sealed.keyId},
        response_sealed = ${sealed.ciphertext}
    where company_id = ${input.companyId} and idempotency_key = ${input.key}`;
}

/** A refused or failed request did nothing, so its key is free for the corrected request. */
export async function releaseIdempotencyKey(sql: Sql, companyId: string, key: string): Promise<void> {
  await sql`
    delete from idempotent_requests
    where company_id = ${companyId} and idempotency_key = ${key} and state = 'in-progress'`;
}

/** Forgets answers older than the window (the API runs this hourly); returns how many went. */
export async function purgeExpiredIdempotentRequests(sql: Sql): Promise<number> {
  const rows = await sql`
    delete from idempotent_requests
    where created_at < now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS}) returning 1`;
  return rows.length;
}
