import { execFile } from 'node:child_process';
import { chown, mkdir, readdir, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ThrowawayPostgres {
  url: string;
  /** `pg_ctl stop -m immediate`: the server dies as in a crash (clients see their connections cut). */
  crash(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster of our own (initdb + pg_ctl on a free port, in a temporary folder), so chaos runs
 * can crash and restart "the database" without touching the PostgreSQL the rest of the machine uses.
 * PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user.
 */
export async function startThrowawayPostgres(options: {
  dir: string;
  port: number;
}): Promise<ThrowawayPostgres> {
  const bin = await postgresBinDir();
  const asRoot = userInfo().uid === 0;
  const pg = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args])
      : run(join(bin, command), args);
  await mkdir(options.dir, { recursive: true });
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(options.dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(options.dir, 'data');
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = async () => {
    await pg('pg_ctl', [
      '-D',
      data,
      '-l',
      join(options.dir, 'postgres.log'),
      '-w',
      '-o',
      `-p ${options.port} -k ${options.dir} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off`,
      'start',
    ]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    crash: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    },
    start,
    destroy: async () => {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
      await rm(options.dir, { recursive: true, force: true });
    },
  };
}

async function postgresBinDir(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}
