import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { nodeEntryArgs } from './node-entry.js';

type Stopper = { name: string; stop: () => Promise<unknown> };

/**
 * The processes of a local stack (`npm start`, `npm run cluster`): stopped once, in reverse order of
 * start (workers drain before the server goes), on Ctrl-C, SIGTERM, or when one of them dies.
 */
export class ProcessGroup {
  private readonly stoppers: Stopper[] = [];
  private finished: Promise<number> | undefined;
  private shuttingDown = false;

  /** `name` says what stops in the log ("fepa stopped"). */
  constructor(
    private readonly log: Logger,
    private readonly name = 'fepa',
  ) {
    // A terminal's Ctrl-C reaches npm, sh, tsx and this process at once, and tsx relays it again: every
    // signal after the first is ignored while stopping (with `once`, the second one killed this process
    // mid-stop and left its children running).
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.on(signal, () => {
        if (this.shuttingDown) return;
        void this.shutdown(0);
      });
  }

  /** Something to stop on the way out (a server, an embedded database); stopped at once when already stopping. */
  add(name: string, stop: () => Promise<unknown>): void {
    if (this.shuttingDown) {
      void stop().catch(() => {});
      return;
    }
    this.stoppers.push({ name, stop });
  }

  /** True once a stop has begun (Ctrl-C while still starting): the start-up stops starting things. */
  get stopping(): boolean {
    return this.shuttingDown;
  }

  /**
   * A fepa process (`node --import tsx <entry>`, or its compiled JavaScript in `dist/` when `compiled`);
   * if it dies on its own, everything stops.
   */
  startNode(
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    graceMs: number,
    options: { compiled?: boolean } = {},
  ): ManagedProcess {
    const child = spawnManaged(name, process.execPath, nodeEntryArgs(entry, options.compiled), {
      env,
      cwd: PROJECT_ROOT,
    });
    this.add(name, () => child.stop('SIGTERM', graceMs));
    void child.exited.then((code) => {
      if (!this.shuttingDown) {
        this.log.error({ process: name, code }, `${name} exited unexpectedly; stopping everything`);
        void this.shutdown(1);
      }
    });
    return child;
  }

  /** Stops every child in reverse start order, once; a second call waits for the first. */
  async shutdown(exitCode: number): Promise<never> {
    this.shuttingDown = true;
    this.finished ??= (async () => {
      this.log.info(`stopping ${this.name} (workers drain first)`);
      const order: string[] = [];
      for (const stopper of [...this.stoppers].reverse()) {
        try {
          await stopper.stop();
          order.push(stopper.name);
          this.log.info(`${stopper.name} stopped`);
        } catch (err) {
          this.log.error({ err }, `${stopper.name} did not stop cleanly`);
          exitCode = 1;
        }
      }
      this.log.info({ order }, `${this.name} stopped`);
      return exitCode;
    })();
    process.exit(await this.finished);
  }
}

/** Waits until `url` answers 2xx. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * The local stacks run their own PAC simulator: companies may point their PAC address at it (the README's
 * walkthrough does), so its host and port join the operator's FEPA_PAC_ALLOWED_HOSTS for the children.
 */
export function allowSimulatorAsPac(settings: { pacAllowedHosts: readonly string[]; simulatorUrl: string }): {
  FEPA_PAC_ALLOWED_HOSTS: string;
} {
  return {
    FEPA_PAC_ALLOWED_HOSTS: [...settings.pacAllowedHosts, new URL(settings.simulatorUrl).host].join(','),
  };
}
