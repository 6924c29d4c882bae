import { randomBytes } from 'node:crypto';
import { loadSettings } from '../platform/config/settings.js';
import { connectDatabase, type Sql } from '../platform/storage/database.js';
import { dropDatabase, ensureDatabaseExists } from '../platform/storage/ensure-database.js';
import { runMigrations } from '../platform/storage/migrate.js';

/** A migrated throwaway database on DATABASE_URL's server (default: local PostgreSQL), dropped afterwards. */
export async function benchDatabase(): Promise<{ sql: Sql; host: string; drop(): Promise<void> }> {
  const baseUrl = loadSettings().databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `fepa_bench_${randomBytes(4).toString('hex')}`;
  const dbUrl = new URL(baseUrl);
  dbUrl.pathname = `/${dbName}`;
  await ensureDatabaseExists(dbUrl.toString());
  await runMigrations(dbUrl.toString());
  const sql = connectDatabase(dbUrl.toString(), { max: 10 });
  return {
    sql,
    host: new URL(baseUrl).host,
    drop: async () => {
      await sql.end({ timeout: 5 });
      await dropDatabase(baseUrl, dbName).catch(() => {});
    },
  };
}
