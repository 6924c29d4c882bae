import postgres from 'postgres';

/** Creates the database named in `url` when it does not exist yet (connecting to `postgres` to do so). */
export async function ensureDatabaseExists(url: string): Promise<{ created: boolean; database: string }> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length > 0) return { created: false, database };
    try {
      await sql.unsafe(`create database ${quoteIdentifier(database)}`);
    } catch (err) {
      // Another process created it between our check and our create: that is the outcome we wanted.
      if ((err as { code?: string }).code !== '42P04') throw err;
      return { created: false, database };
    }
    return { created: true, database };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(url: string, database: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists ${quoteIdentifier(database)} with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
