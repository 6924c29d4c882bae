import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../platform/config/settings.js';

/** Runs programs that cannot watch their parent themselves (lifeline.js). */
const LIFELINE = join(PROJECT_ROOT, 'tools', 'dev-stack', 'lifeline.js');

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Sends `signal`, waits up to `timeoutMs`, then kills the whole process group. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
  /** kill -9 of the whole process group (fault tests), resolved once it has ended. */
  kill(): Promise<number | string>;
  /** The program's own pid (for CPU and memory readings): the child, or the one lifeline.js runs. */
  programPid(): number | undefined;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append stdout and stderr to this file; without it they go to this terminal. */
  logFile?: string;
}

/**
 * Starts a child in its own process group, so a Ctrl-C in the terminal reaches only the parent,
 * which then stops the children in the order it chooses (worker drains before the server goes).
 *
 * No child outlives this process, however it ends: each child's stdin is a pipe whose write end only this
 * process holds. A node child watches it itself (platform/config/parent-lifeline.ts, told by FEPA_PARENT_LIFELINE);
 * any other program runs under tools/dev-stack/lifeline.js, which watches it and stops the program.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ManagedProcess {
  const node = command === process.execPath;
  const child = spawn(node ? command : process.execPath, node ? args : [LIFELINE, command, ...args], {
    env: { ...(options.env ?? process.env), FEPA_PARENT_LIFELINE: 'stdin' },
    cwd: options.cwd,
    detached: true,
    stdio: options.logFile ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'inherit', 'inherit'],
  });
  // The write end stays open, unwritten, until this process is gone; it must not keep this process alive.
  child.stdin?.on('error', () => {});
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  if (options.logFile) {
    // Two pipes into one file: neither may end it (the other could still write), the exit does.
    const out = createWriteStream(options.logFile, { flags: 'a' });
    out.on('error', () => {}); // a log file that cannot be written must not bring the parent down
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    child.once('close', () => out.end());
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
  });
  return {
    name,
    child,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      signalGroup(child, signal);
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    programPid() {
      if (node || child.pid === undefined) return child.pid;
      try {
        const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
        return Number(children.split(' ')[0]) || child.pid;
      } catch {
        return child.pid;
      }
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      signalGroup(child, 'SIGKILL');
      return exited;
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
