import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface DatabaseOptions {
  /** Pool size. Embedded PGlite serialises queries anyway, so a small pool is plenty there. */
  max?: number;
  /**
   * Seconds before reconnecting after failed connections (postgres.js's default grows to 20 s); tests
   * that cut the database shorten it so an outage's retries come quickly.
   */
  reconnectBackoffSeconds?: number;
}

/** One postgres.js pool per process. Notices (e.g. "relation already exists") are not errors. */
export function connectDatabase(url: string, options: DatabaseOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    ...(options.reconnectBackoffSeconds === undefined
      ? {}
      : { backoff: () => options.reconnectBackoffSeconds! }),
  });
}

/** Answers whether the database takes a query now; never throws. */
export async function pingDatabase(sql: Sql): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    await sql`select 1`;
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
