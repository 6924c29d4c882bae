import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { ApiKeyService } from '../../app/services/api-key-service.js';
import { randomJuridicalRuc } from '../helpers/companies.js';
import { closeTestStack, harnessSetting, testDatabase } from '../helpers/test-stack.js';

const exec = promisify(execFile);

async function fepa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(join(PROJECT_ROOT, 'bin', 'fepa.js'), args, {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: harnessSetting('FEPA_TEST_DATABASE_URL'),
      },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('fepa company create and fepa key create', () => {
  after(closeTestStack);

  it('creates a company with an admin key that works, once per RUC, and more keys on request', async () => {
    const { ruc, dv } = randomJuridicalRuc();
    const created = await fepa('company', 'create', '--ruc', ruc, '--dv', dv, '--name', 'EMPRESA CLI, S.A.');
    assert.equal(created.code, 0, created.stderr);
    const companyId = /^company ([0-9a-f-]{36}) /m.exec(created.stdout)?.[1];
    const adminKey = /admin API key \(shown once, keep it secret\): (\S+)$/m.exec(created.stdout)?.[1];
    assert.ok(companyId && adminKey, created.stdout);
    const keys = new ApiKeyService(testDatabase());
    const admin = await keys.authenticate(adminKey);
    assert.ok(admin.ok && admin.caller.companyId === companyId && admin.caller.role === 'admin');

    const again = await fepa('company', 'create', '--ruc', ruc, '--dv', dv, '--name', 'OTRA');
    assert.equal(again.code, 2);
    assert.match(again.stderr, /a company with RUC .* exists; use `fepa key create`/);

    const more = await fepa('key', 'create', '--company', companyId, '--role', 'integrator', '--name', 'ERP');
    assert.equal(more.code, 0, more.stderr);
    const integratorKey = /: (fepa_\S+)$/m.exec(more.stdout)?.[1];
    const integrator = await keys.authenticate(integratorKey!);
    assert.ok(integrator.ok && integrator.caller.role === 'integrator');
  });

  it('refuses a wrong check digit, an unknown role and an unknown company, saying which', async () => {
    const { ruc, dv } = randomJuridicalRuc();
    const wrongDv = String((Number(dv) + 1) % 100).padStart(2, '0');
    const badDv = await fepa('company', 'create', '--ruc', ruc, '--dv', wrongDv, '--name', 'X');
    assert.equal(badDv.code, 2);
    assert.match(badDv.stderr, /--dv: /);
    const badRole = await fepa(
      'key',
      'create',
      '--company',
      '00000000-0000-4000-8000-000000000000',
      '--role',
      'root',
      '--name',
      'x',
    );
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role must be one of integrator, operator, admin/);
    const noCompany = await fepa(
      'key',
      'create',
      '--company',
      '00000000-0000-4000-8000-000000000000',
      '--role',
      'admin',
      '--name',
      'x',
    );
    assert.equal(noCompany.code, 2);
    assert.match(noCompany.stderr, /there is no company/);
    const [{ n }] =
      (await testDatabase()`select count(*)::int as n from companies where ruc = ${ruc}`) as unknown as [
        { n: number },
      ];
    assert.equal(n, 0, 'nothing created');
  });
});
