import { createHash } from 'node:crypto';
import type { EdocCredentials, EdocService } from './edoc-wire.js';

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * One eDoc token per (company, service, credentials). A token is reused until a safety margin before its
 * `expira`; changing a company's credentials makes a new cache key (the old token is never used again),
 * and `revoke` drops a company's tokens at once (eDoc's advice for a compromised token).
 */
export class EdocTokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly marginMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  static key(companyId: string, service: EdocService, credentials: EdocCredentials): string {
    const fingerprint = createHash('sha256')
      .update(`${credentials.user}\u0000${credentials.password}`)
      .digest('hex')
      .slice(0, 16);
    return `${companyId}|${service}|${fingerprint}`;
  }

  get(key: string): string | undefined {
    const cached = this.tokens.get(key);
    if (!cached) return undefined;
    if (this.clock() >= cached.expiresAt - this.marginMs) {
      this.tokens.delete(key);
      return undefined;
    }
    return cached.token;
  }

  set(key: string, token: string, expiresAt: number): void {
    this.tokens.set(key, { token, expiresAt });
  }

  /** Drops one token (after the PAC answered 401 with it). */
  drop(key: string): void {
    this.tokens.delete(key);
  }

  /** Drops every token of a company: its credentials changed or an administrator revoked them. */
  revoke(companyId: string): number {
    let dropped = 0;
    for (const key of [...this.tokens.keys()]) {
      if (key.startsWith(`${companyId}|`)) {
        this.tokens.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.tokens.size;
  }
}
