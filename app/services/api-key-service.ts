import { apiKeyMatches, apiKeyPrefix, generateApiKey } from '../../platform/access/api-key.js';
import type { Role } from '../../platform/access/roles.js';
import type { Sql } from '../../platform/storage/database.js';
import {
  findApiKeyByPrefix,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  type ApiKeyRecord,
} from '../../platform/storage/api-key-store.js';

/** Who is calling: the key's company is the only tenant the request can see. */
export interface Caller {
  keyId: string;
  keyPrefix: string;
  companyId: string;
  role: Role;
}

export type Authentication =
  { ok: true; caller: Caller } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

/** API keys: created (shown once), authenticated, listed (prefix only), revoked. */
export class ApiKeyService {
  constructor(private readonly sql: Sql) {}

  async create(input: {
    companyId: string;
    role: Role;
    name: string;
    expiresAt?: Date;
  }): Promise<{ key: string; record: ApiKeyRecord }> {
    const fresh = generateApiKey();
    const record = await insertApiKey(this.sql, { ...input, prefix: fresh.prefix, hash: fresh.hash });
    return { key: fresh.key, record };
  }

  async authenticate(presented: string, now = new Date()): Promise<Authentication> {
    const prefix = apiKeyPrefix(presented);
    const stored = prefix ? await findApiKeyByPrefix(this.sql, prefix) : undefined;
    if (!stored || !apiKeyMatches(presented, stored.hash)) return { ok: false, reason: 'unknown' };
    if (stored.revokedAt) return { ok: false, reason: 'revoked' };
    if (stored.expiresAt && new Date(stored.expiresAt) <= now) return { ok: false, reason: 'expired' };
    await touchApiKey(this.sql, stored.id);
    return {
      ok: true,
      caller: { keyId: stored.id, keyPrefix: stored.prefix, companyId: stored.companyId, role: stored.role },
    };
  }

  list(companyId: string): Promise<ApiKeyRecord[]> {
    return listApiKeys(this.sql, companyId);
  }

  revoke(companyId: string, keyId: string): Promise<boolean> {
    return revokeApiKey(this.sql, companyId, keyId);
  }
}
