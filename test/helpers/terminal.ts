import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real terminal (tmux): a shell where a command is typed and Ctrl-C pressed as a person does, so the
 * signal goes to the whole foreground process group (npm, sh, tsx, node), not to one chosen process.
 */
export class Terminal {
  private constructor(readonly session: string) {}

  static async open(name: string, cwd: string): Promise<Terminal> {
    const session = `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    await run('tmux', [
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '220',
      '-y',
      '50',
      '-c',
      cwd,
      'bash --norc',
    ]);
    return new Terminal(session);
  }

  async type(line: string): Promise<void> {
    await run('tmux', ['send-keys', '-t', this.session, '-l', line]);
    await run('tmux', ['send-keys', '-t', this.session, 'Enter']);
  }

  async ctrlC(): Promise<void> {
    await run('tmux', ['send-keys', '-t', this.session, 'C-c']);
  }

  async screen(): Promise<string> {
    return (await run('tmux', ['capture-pane', '-p', '-S', '-200', '-t', this.session])).stdout;
  }

  async close(): Promise<void> {
    await run('tmux', ['kill-session', '-t', this.session]).catch(() => {});
  }
}

/** Processes whose environment has `KEY=value` (every process a stack started inherits its data folder). */
export async function processesWithEnv(entry: string): Promise<Array<{ pid: number; command: string }>> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${name}/environ`, 'utf8');
      if (!environ.split('\0').includes(entry)) continue;
      const command = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      // Zombies (already exited, not yet reaped) hold nothing.
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z /.test(stat)) continue;
      found.push({ pid: Number(name), command });
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
