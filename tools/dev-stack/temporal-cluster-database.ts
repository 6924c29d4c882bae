import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import type { ClusterDatabase } from './temporal-cluster-config.js';

const run = promisify(execFile);

/** The cluster's database settings from a PostgreSQL URL (its server and user; the names are the cluster's). */
export function clusterDatabaseFrom(
  url: string,
  names: { temporal: string; visibility: string },
): ClusterDatabase {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
    ...names,
  };
}

/**
 * Creates the two databases when missing and brings their schemas to the server's version with
 * `temporal-sql-tool` (the schemas ship inside it). Safe to run on every start.
 */
export async function migrateClusterDatabases(options: {
  sqlTool: string;
  database: ClusterDatabase;
  log: Logger;
}): Promise<void> {
  const { database: db } = options;
  const tool = (name: string, ...args: string[]) =>
    run(
      options.sqlTool,
      [
        '--plugin',
        'postgres12',
        '--ep',
        db.host,
        '--port',
        String(db.port),
        '--user',
        db.user,
        '--password',
        db.password,
        '--db',
        name,
        ...args,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: unknown) => {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(
        `temporal-sql-tool ${args[0]} on ${name} failed:\n${stderr.split('\n').slice(-8).join('\n')}`,
        {
          cause: err,
        },
      );
    });
  for (const [name, schema] of [
    [db.temporal, 'postgresql/v12/temporal'],
    [db.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    // create-database answers an error for an existing database; that is the normal restart.
    await tool(name, 'create-database').catch((err: Error) => {
      if (!/already exists/.test(err.message)) throw err;
    });
    await tool(name, 'setup-schema', '-v', '0.0');
    await tool(name, 'update-schema', '--schema-name', schema);
    options.log.info({ database: name, schema }, 'Temporal database ready');
  }
}
