import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase, type Sql } from '../../platform/storage/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../platform/storage/embedded-postgres.js';
import { freePort } from '../harness/free-port.js';

describe('the embedded PostgreSQL (PGlite) shared by several processes', () => {
  let embedded: EmbeddedPostgres | undefined;
  const pools: Sql[] = [];
  let dir = '';
  after(async () => {
    for (const pool of pools) await pool.end({ timeout: 1 });
    await embedded?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each client’s statements and transactions together under concurrent load', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fepa-pglite-'));
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    // Like npm start: API, worker and CLI each with their own pool.
    for (let i = 0; i < 3; i++) pools.push(connectDatabase(embedded.url, { max: 4 }));
    await pools[0]!`create table counters (pool int, n int)`;
    const work = pools.flatMap((sql, p) =>
      Array.from({ length: 60 }, async (_, i) => {
        if (i % 3 === 0) {
          await sql.begin(async (tx) => {
            await tx`insert into counters values (${p}, ${i})`;
            const [row] = await tx<
              Array<{ n: number }>
            >`select count(*)::int as n from counters where pool = ${p}`;
            assert.ok(row!.n >= 1, 'the transaction sees its own insert');
          });
        } else {
          const [row] = await sql<Array<{ v: number }>>`select ${i}::int as v`;
          assert.equal(row!.v, i, 'the answer to this client’s own query');
        }
      }),
    );
    const results = await Promise.allSettled(work);
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    assert.deepEqual(failures.slice(0, 3), []);
    const [total] = await pools[1]!<Array<{ n: number }>>`select count(*)::int as n from counters`;
    assert.equal(total!.n, 60);
  });

  it('rolls back the transaction of a client that disconnects in the middle of it', async () => {
    const quitter = connectDatabase(embedded!.url, { max: 1 });
    await quitter`begin`;
    await quitter`insert into counters values (99, 1)`;
    await quitter.end({ timeout: 0 });
    const [row] = await pools[2]!<
      Array<{ n: number }>
    >`select count(*)::int as n from counters where pool = 99`;
    assert.equal(row!.n, 0);
  });
});
