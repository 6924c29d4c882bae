import type { RequestHandler } from 'express';

/**
 * How a PAC looks while it is down: `reset` drops the connection (a network or host outage: the caller sees
 * a transport error), `unavailable` answers 503 with an HTML page (a load balancer in front of a dead PAC).
 */
export type OutageMode = 'reset' | 'unavailable';

export interface OutageState {
  down: boolean;
  mode?: OutageMode;
  since?: string;
  until?: string;
  /** PAC calls refused during the current (or last) outage. */
  refusedCalls: number;
}

/** A scheduled outage of the simulated PACs: down for a duration, then up by itself. */
export class Outage {
  private window: { since: number; until: number; mode: OutageMode } | undefined;
  private refused = 0;

  constructor(private readonly now: () => number = Date.now) {}

  start(durationMs: number, mode: OutageMode = 'reset'): OutageState {
    this.window = { since: this.now(), until: this.now() + durationMs, mode };
    this.refused = 0;
    return this.state();
  }

  end(): OutageState {
    if (this.window) this.window.until = Math.min(this.window.until, this.now());
    return this.state();
  }

  isDown(): boolean {
    return this.window !== undefined && this.now() < this.window.until;
  }

  state(): OutageState {
    const w = this.window;
    return {
      down: this.isDown(),
      ...(w
        ? { mode: w.mode, since: new Date(w.since).toISOString(), until: new Date(w.until).toISOString() }
        : {}),
      refusedCalls: this.refused,
    };
  }

  /** In front of the PAC routes (never the control panel): refuses every call while the PAC is down. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (!this.isDown()) return next();
      this.refused++;
      if (this.window?.mode === 'unavailable') {
        res.status(503).type('html').send('<html><body><h1>503 Service Unavailable</h1></body></html>');
        return;
      }
      req.socket.destroy();
    };
  }
}
