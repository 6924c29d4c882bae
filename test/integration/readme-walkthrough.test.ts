import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';

/** The shell block of the README's walkthrough, exactly as a user copies it. */
async function readmeWalkthrough(): Promise<string> {
  const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Issue a document against the sandbox PAC'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has the walkthrough');
  return block[1]!;
}

describe("the README's walkthrough, against a live `npm start`", () => {
  let stack: LiveStack | undefined;
  after(async () => {
    await stack?.stop();
    await rm(join(PROJECT_ROOT, 'demo.p12'), { force: true });
    await rm(join(PROJECT_ROOT, 'signed.xml'), { force: true });
  });

  it('authorizes one invoice, shows the rejection of another, the signed XML verifies, and HKA issues once switched to', async () => {
    stack = await startLiveStack('readme');
    const stdout = await stack.runScript(await readmeWalkthrough(), 120_000);
    assert.match(stdout, /"status":"ready"/, 'the certificate is ready');
    assert.match(
      stdout,
      /^authorized FE0120000155123456-2-2023-9500002025031000000000010010124829135707 [0-9]{20}$/m,
    );
    assert.match(stdout, /^signature holds: signed by CN=EMPRESA DE PRUEBA 155123456-2-2023 DV 95/m);
    assert.match(
      stdout,
      /^rejected \[\{"code":"1601","message":"RUC del receptor inválido","effect":"E"\}\]$/m,
    );
    assert.match(stdout, /^authorized by hka FE01$/m, 'the company switched to HKA issues through it');
  });
});
