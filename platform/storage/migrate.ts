import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import * as ley from 'ley';

const MIGRATIONS_DIR = resolve(import.meta.dirname, 'migrations');
/**
 * Migrations run as TypeScript (tsx) or compiled (dist/, `.js`). schema_migrations keeps the name it was
 * applied under; it is compared by its stem, so a database migrated under one runs clean under the other.
 */
const MIGRATION_EXT = extname(import.meta.filename);
const stem = (name: string) => name.replace(/\.(ts|js)$/, '');
/** Any constant works; it only has to be the same for every fepa process. */
const MIGRATION_LOCK_KEY = 727_101;

type LeySql = postgres.Sql;
// ley's typings declare a generic `connect<Client>()` that no concrete driver can satisfy.
type LeyDriver = NonNullable<NonNullable<Parameters<typeof ley.up>[0]>['driver']>;

/**
 * ley's own postgres driver, plus a session advisory lock so an API, a worker and `npm start`
 * migrating at the same moment take turns instead of racing on the same migration.
 */
const lockedPostgresDriver = {
  connect(config: { url: string }): LeySql {
    return postgres(config.url, { max: 1, onnotice: () => {} });
  },
  async setup(sql: LeySql) {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await sql`create table if not exists schema_migrations (
      id serial primary key, name varchar(255) not null unique, created_at timestamp not null)`;
    const applied = await sql<Array<{ name: string }>>`select name from schema_migrations order by id asc`;
    return applied.map((row) => ({ name: stem(row.name) + MIGRATION_EXT }));
  },
  loop(sql: LeySql, files: Array<{ name: string; abs: string }>, method: 'up' | 'down') {
    return sql.begin(async (tx) => {
      for (const file of files) {
        const migration = (await import(pathToFileURL(file.abs).href)) as Record<
          string,
          (sql: unknown) => Promise<void>
        >;
        await migration[method]?.(tx);
        if (method === 'up')
          await tx`insert into schema_migrations (name, created_at) values (${file.name}, now())`;
        else
          await tx`delete from schema_migrations
            where name in (${stem(file.name) + '.ts'}, ${stem(file.name) + '.js'})`;
      }
    });
  },
  async end(sql: LeySql) {
    await sql`select pg_advisory_unlock_all()`.catch(() => {});
    await sql.end({ timeout: 5 });
  },
};

/** Applies every pending migration; returns the names applied (empty when already up to date). */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  return ley.up({
    cwd: MIGRATIONS_DIR,
    dir: '.',
    driver: lockedPostgresDriver as unknown as LeyDriver,
    config: { url: databaseUrl },
  });
}

export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  return ley.status({
    cwd: MIGRATIONS_DIR,
    dir: '.',
    driver: lockedPostgresDriver as unknown as LeyDriver,
    config: { url: databaseUrl },
  });
}
