import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../harness/free-port.js';
import { tempDir } from './temp-dir.js';

export interface ImapServer {
  host: string;
  port: number;
  /** Every user name logs in with this password and gets a mailbox of its own (static passdb). */
  password: string;
  /** Stops the server as a crash would (mid-read tests); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';

/** uid and gid of a system user, from /etc/passwd. */
function idsOf(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no ${user} user: install dovecot-imapd`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('* OK'));
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real IMAP server for tests: Debian's dovecot (installed by .ci/run) with a throwaway configuration on a
 * free port, plain-text login on loopback only, mail in a temp folder removed with the test process.
 */
export async function startImapServer(): Promise<ImapServer> {
  if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} not found: install dovecot-imapd (.ci/run does)`);
  const dir = await tempDir('fepa-imap-');
  chmodSync(dir, 0o755);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  // As root, mail is kept as dovecot's own user; otherwise everything runs as the current user.
  const mailUser = root ? 'dovecot' : userInfo().username;
  const owner = root ? idsOf('dovecot') : undefined;
  for (const sub of ['mail', 'home']) {
    mkdirSync(join(dir, sub));
    if (owner) chownSync(join(dir, sub), owner.uid, owner.gid);
  }
  const password = `imap-${randomBytes(6).toString('hex')}`;
  const config = join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      'auth_verbose = yes',
      'first_valid_uid = 1',
      'first_valid_gid = 1',
      `mail_location = maildir:${dir}/mail/%u`,
      `default_internal_user = ${root ? 'dovecot' : mailUser}`,
      `default_login_user = ${root ? 'dovenull' : mailUser}`,
      // Any user name, one password: each test makes the mailboxes it needs without touching the server.
      `passdb {\n  driver = static\n  args = password=${password}\n}`,
      `userdb {\n  driver = static\n  args = uid=${mailUser} gid=${mailUser} home=${dir}/home/%u\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service pop3-login {\n  inet_listener pop3 {\n    port = 0\n  }\n}',
      'service submission-login {\n  inet_listener submission {\n    port = 0\n  }\n}',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(DOVECOT, ['-F', '-c', config], { stdio: 'ignore' });
    const running = child;
    for (let waited = 0; !(await answers(port)); waited += 50) {
      if (running.exitCode !== null || waited > 15_000)
        throw new Error(`dovecot did not start on port ${port} (log: ${dir}/dovecot.log)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
    // The master's children leave with it; wait until the port no longer answers.
    while (await answers(port)) await new Promise((r) => setTimeout(r, 50));
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    password,
    stop,
    start,
    close: stop,
  };
}
