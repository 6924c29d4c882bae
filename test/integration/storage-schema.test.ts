import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { connectDatabase, type Sql } from '../../platform/storage/database.js';
import { dropDatabase, ensureDatabaseExists } from '../../platform/storage/ensure-database.js';
import { pendingMigrations, runMigrations } from '../../platform/storage/migrate.js';
import { harnessSetting } from '../helpers/test-stack.js';

describe('database schema', () => {
  const admin = harnessSetting('FEPA_TEST_ADMIN_DATABASE_URL');
  const name = `fepa_schema_${randomBytes(4).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let sql: Sql;

  before(async () => {
    assert.deepEqual(await ensureDatabaseExists(url.toString()), { created: true, database: name });
    sql = connectDatabase(url.toString(), { max: 2 });
  });
  after(async () => {
    await sql.end({ timeout: 5 });
    await dropDatabase(admin, name);
  });

  it('applies every migration once, even when two processes migrate at the same moment', async () => {
    const files = (await readdir(join(PROJECT_ROOT, 'platform', 'storage', 'migrations')))
      .filter((f) => f.endsWith('.ts'))
      .sort();
    const [first, second] = await Promise.all([runMigrations(url.toString()), runMigrations(url.toString())]);
    assert.deepEqual([...first, ...second].sort(), files, 'every migration ran exactly once');
    assert.ok(
      first.length === 0 || second.length === 0,
      'one process migrated, the other found nothing to do',
    );
    assert.deepEqual(await runMigrations(url.toString()), []);
    assert.deepEqual(await pendingMigrations(url.toString()), []);
  });

  it('knows a migration applied by the compiled build (.js) as applied under tsx (.ts), and back', async () => {
    const rename = (from: string, to: string) =>
      sql`update schema_migrations set name = regexp_replace(name, ${`\\${from}$`}, ${to})`;
    try {
      await rename('.ts', '.js');
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from schema_migrations where name like '%.js'`;
      assert.ok((row?.n ?? 0) > 0, 'the rows now carry the compiled names');
      assert.deepEqual(await pendingMigrations(url.toString()), []);
      assert.deepEqual(await runMigrations(url.toString()), [], 'nothing is applied a second time');
    } finally {
      await rename('.js', '.ts');
    }
  });

  it('creates the database only when it is missing', async () => {
    assert.deepEqual(await ensureDatabaseExists(url.toString()), { created: false, database: name });
  });

  it('refuses a second document with the same business key', async () => {
    const [company] = await sql<{ id: string }[]>`
      insert into companies (ruc_type, ruc, dv, name) values (2, '155123456-2-2023', '95', 'EMISOR') returning id`;
    const row = (workflowId: string) => ({
      company_id: company!.id,
      environment: 2,
      doc_type: '01',
      branch: '0000',
      point_of_sale: '001',
      number: '0000000001',
      workflow_id: workflowId,
      status: 'received',
      request_hash: 'h',
    });
    await sql`insert into documents ${sql(row('wf-1'))}`;
    await assert.rejects(sql`insert into documents ${sql(row('wf-2'))}`, /documents_business_key/);
  });

  it('keeps document_events append-only', async () => {
    const [doc] = await sql<{ id: string }[]>`select id from documents limit 1`;
    await sql`insert into document_events (document_id, seq, kind, to_status, actor) values (${doc!.id}, 1, 'created', 'received', 'test')`;
    await assert.rejects(sql`update document_events set actor = 'someone else'`, /append-only/);
    await assert.rejects(sql`delete from document_events`, /append-only/);
    const [{ count }] = (await sql`select count(*)::int as count from document_events`) as unknown as [
      { count: number },
    ];
    assert.equal(count, 1);
  });
});
