import type { NextFunction, Request, Response } from 'express';
import { HttpProblem } from '../problem.js';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * A token bucket per API key (per address for calls without a valid key): `perMinute` sustained, `burst`
 * at once. In memory, so each API process limits on its own; behind several processes divide the numbers.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; answers how many are left, or how long to wait. */
  take(subject: string): { allowed: boolean; remaining: number; retryAfterSeconds: number } {
    const now = this.now();
    const perMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(subject) ?? { tokens: this.burst, updatedMs: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updatedMs) * perMs);
    bucket.updatedMs = now;
    this.buckets.set(subject, bucket);
    if (this.buckets.size > 10_000) this.forgetFullBuckets(now);
    if (bucket.tokens < 1) {
      return {
        allowed: false,
        remaining: 0,
        retryAfterSeconds: Math.ceil((1 - bucket.tokens) / perMs / 1000),
      };
    }
    bucket.tokens -= 1;
    return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
  }

  private forgetFullBuckets(now: number): void {
    const fullAfterMs = (this.burst / this.perMinute) * 60_000;
    for (const [subject, bucket] of this.buckets) {
      if (now - bucket.updatedMs > fullAfterMs) this.buckets.delete(subject);
    }
  }
}

/** `subject` picks the bucket: the key for authenticated calls, the address otherwise. */
export function rateLimit(limiter: RateLimiter, subject: (req: Request) => string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const verdict = limiter.take(subject(req));
    res.setHeader('RateLimit-Limit', String(limiter.burst));
    res.setHeader('RateLimit-Remaining', String(verdict.remaining));
    if (!verdict.allowed) {
      throw new HttpProblem({
        type: 'rate-limited',
        title: 'Too many requests',
        status: 429,
        detail: `Limit: ${limiter.perMinute} requests per minute (bursts of ${limiter.burst}). Retry in ${verdict.retryAfterSeconds} s.`,
        headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
      });
    }
    next();
  };
}
