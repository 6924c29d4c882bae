import assert from 'node:assert/strict';
import { tempDir } from '../helpers/temp-dir.js';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { validateDocument } from '../../domain/dgi-document/index.js';
import { fixedSecurityCode, loadExample, signForTests } from '../helpers/dgi-fixtures.js';
import { makeCertificate, makeKeyPair, makeP12 } from '../helpers/p12-factory.js';
import { decodeQrCodes, pdfText } from '../helpers/pdf-tools.js';

const exec = promisify(execFile);
const FEPA = join(PROJECT_ROOT, 'bin', 'fepa.js');

async function fepa(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return fepaWith({}, ...args);
}

async function fepaWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(FEPA, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the fepa command', () => {
  it('validates a good document and prints no CUFE until dSeg is fixed', async () => {
    const r = await fepa('validate', 'docs/examples/credit-note.json');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^valid: iDoc 04 number 0000000001, total 53\.50, CUFE assigned at build time/);
    assert.doesNotMatch(r.stdout, /FE04/);
  });

  it('prints the CUFE that build writes when --seg fixes dSeg', async () => {
    const validated = await fepa('validate', 'docs/examples/credit-note.json', '--seg', '246813579');
    const built = await fepa('build', 'docs/examples/credit-note.json', '--seg', '246813579');
    assert.equal(validated.code, 0, validated.stderr);
    const cufe = /CUFE (FE04\S{62})$/m.exec(validated.stdout)?.[1];
    assert.ok(cufe, validated.stdout);
    assert.ok(built.stdout.includes(`<dSeg>246813579</dSeg>`));
    assert.ok(built.stdout.includes(`<dId>${cufe}</dId>`), 'build writes the CUFE validate printed');
    const refused = await fepa('build', 'docs/examples/credit-note.json', '--seg', '12x45');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /gDGen\.dSeg \(B09\): must be 9 digits/);
  });

  it('accepts the post-2025 codes by default and refuses them with FEPA_DGI_CODE_LISTS=2019', async () => {
    const current = await fepa('validate', 'docs/examples/foreign-operation-invoice.json');
    assert.equal(current.code, 0, current.stderr);
    const old = await fepaWith(
      { FEPA_DGI_CODE_LISTS: '2019' },
      'validate',
      'docs/examples/foreign-operation-invoice.json',
    );
    assert.equal(old.code, 1);
    assert.match(old.stderr, /gDGen\.iDoc \(B06\): .*rule enum \[value: "10"\]/);
    assert.match(old.stderr, /gDGen\.iNatOp \(B12\): .*rule enum \[value: "04"\]/);
    assert.match(old.stderr, /gTot\.gFormaPago\[0\]\.iFormaPago \(D301\): .*rule enum \[value: "09"\]/);
  });

  it('prints every issue of a bad document on stderr and exits 1', async () => {
    const r = await fepa('validate', 'test/fixtures/documents/two-mistakes.json');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /2 issue\(s\)/);
    assert.match(r.stderr, /gDGen\.dNroDF \(B07\): must not be all zeros — rule not-zero/);
    assert.match(r.stderr, /gItem\[0\]\.cUnidad \(C05\): is not in the DGI catalog of units of measure/);
  });

  it('builds the XML of a document on stdout', async () => {
    const r = await fepa('build', 'docs/examples/invoice-spec-example.json');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<rFE xmlns="http:\/\/dgi-fep\.mef\.gob\.pa"><dVerForm>1\.00<\/dVerForm><dId>FE0120000155123456-2-2023-9500002025031000000000010010124829135707<\/dId>/,
    );
  });

  it('explains a CUFE field by field, and exits 1 when its check digit is wrong', async () => {
    const good = await fepa('cufe', 'FE0120000155123456-2-2023-9500002025031000000000010010124829135707');
    assert.equal(good.code, 0);
    assert.match(good.stdout, /dRuc\s+155123456-2-2023/);
    assert.match(good.stdout, /dFechaEm\s+2025-03-10/);
    const bad = await fepa('cufe', 'FE0120000155123456-2-2023-9500002025031000000000010010124829135708');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /check digit is 8, expected 7/);
  });

  it('computes RUC check digits, natural and juridical', async () => {
    assert.equal((await fepa('ruc-dv', '155123456-2-2023')).stdout.trim(), '95');
    assert.equal((await fepa('ruc-dv', '8-NT-1-419', '--type', '2')).stdout.trim(), '68');
    assert.equal((await fepa('ruc-dv', '8-NT-1-24', '--type', '1')).stdout.trim(), '33');
    assert.equal((await fepa('ruc-dv', '8-274-125')).stdout.trim(), '91', 'a cédula is guessed as natural');
    assert.equal((await fepa('ruc-dv', 'E-8-110361')).stdout.trim(), '95');
  });

  it('answers a usage mistake with exit 2 and the usage line', async () => {
    const r = await fepa('ruc-dv', 'X-1', '--type', '3');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /usage: fepa ruc-dv <RUC> \[--type 1\|2\]/);
    const missing = await fepa('validate', 'no-such-file.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read no-such-file\.json: ENOENT/);
    assert.equal((await fepa('frobnicate')).code, 2);
  });

  it('has help for every command', async () => {
    for (const command of ['validate', 'build', 'cufe', 'ruc-dv']) {
      const r = await fepa(command, '--help');
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^usage: fepa ${command}`));
    }
  });
});

describe('the fepa certificate commands', () => {
  const password = 'cli-p12-password';
  let dir: string;
  before(async () => {
    dir = await tempDir('fepa-cli-');
    const keys = makeKeyPair();
    await writeFile(
      join(dir, 'good.p12'),
      makeP12({ keyPem: keys.privateKeyPem, certificatesPem: [makeCertificate({ keys })], password }),
    );
    const build = await fepa('build', 'docs/examples/credit-note.json');
    await writeFile(join(dir, 'doc.xml'), build.stdout);
  });

  const withEnv = async (env: Record<string, string>, ...args: string[]) => {
    try {
      const { stdout, stderr } = await exec(FEPA, args, {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      return err as { code: number; stdout: string; stderr: string };
    }
  };

  it('prints certificate facts, with the password from an environment variable', async () => {
    const r = await withEnv(
      { P12_PASS: password },
      'cert',
      join(dir, 'good.p12'),
      '--password-env',
      'P12_PASS',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /RUC\s+155123456-2-2023/);
    assert.match(r.stdout, /sha256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });

  it('reads the password from stdin when piped, and names a wrong one', async () => {
    const child = execFile(FEPA, ['cert', join(dir, 'good.p12')], { cwd: PROJECT_ROOT });
    child.stdin!.end('wrong-password\n');
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    assert.equal(code, 1);
  });

  it('signs a built document, verifies it, and catches a one-byte change', async () => {
    const env = { P12_PASS: password, FEPA_QR_KEY: 'cli-qr-key' };
    const signed = await withEnv(
      env,
      'sign',
      join(dir, 'doc.xml'),
      '--p12',
      join(dir, 'good.p12'),
      '--password-env',
      'P12_PASS',
    );
    assert.equal(signed.code, 0, signed.stderr);
    await writeFile(join(dir, 'signed.xml'), signed.stdout);
    const ok = await fepa('verify', join(dir, 'signed.xml'));
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^signature holds: signed by CN=EMPRESA EMISORA DE EJEMPLO/);
    await writeFile(join(dir, 'tampered.xml'), signed.stdout.replace('Devolucion', 'Devolucian'));
    const bad = await fepa('verify', join(dir, 'tampered.xml'));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /digest-mismatch/);
  });

  it('never takes the password as an argument', async () => {
    const r = await fepa('cert', join(dir, 'good.p12'), '--password', password);
    assert.equal(r.code, 2);
    assert.ok(!r.stderr.includes(password));
  });
});

describe('fepa cafe', () => {
  it('prints the CAFE of a signed XML: the QR read from the page is its dQRCode', async () => {
    const dir = await tempDir('fepa-cli-cafe-');
    const validated = validateDocument(await loadExample('invoice-pos-6-decimals.json'), {
      securityCode: fixedSecurityCode,
    });
    assert.ok(validated.ok);
    const { xml } = signForTests(validated.document);
    await writeFile(join(dir, 'signed.xml'), xml);
    const r = await fepa('cafe', join(dir, 'signed.xml'), '--format', 'roll', '--out', join(dir, 'cafe.pdf'));
    assert.equal(r.code, 0, r.stderr);
    const pdf = await readFile(join(dir, 'cafe.pdf'));
    assert.deepEqual(await decodeQrCodes(pdf), [/<dQRCode><!\[CDATA\[(.*?)\]\]>/.exec(xml)![1]]);
    assert.match(await pdfText(pdf), /pendiente de autorización/);
  });

  it('refuses an unknown format and an unsigned document, naming what is wrong', async () => {
    const bad = await fepa('cafe', 'docs/examples/credit-note.json', '--format', 'a4', '--out', '/dev/null');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be one of roll, roll58, letter, not "a4"/);
    const dir = await tempDir('fepa-cli-cafe-');
    await writeFile(join(dir, 'unsigned.xml'), '<rFE xmlns="http://dgi-fep.mef.gob.pa"/>');
    const unsigned = await fepa('cafe', join(dir, 'unsigned.xml'), '--out', join(dir, 'x.pdf'));
    assert.equal(unsigned.code, 1);
    assert.match(unsigned.stderr, /cannot be read as an rFE|needs the signed document/);
  });
});
