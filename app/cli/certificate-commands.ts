import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { CertificateError } from '../../domain/certificates/certificate-error.js';
import { rfc2253 } from '../../domain/certificates/certificate-facts.js';
import { loadP12 } from '../../domain/certificates/p12-loader.js';
import { makeSandboxP12 } from '../../domain/certificates/sandbox-certificate.js';
import { buildQrUrl, readRfe, validateDocument, writeCanonicalRfe } from '../../domain/dgi-document/index.js';
import { assembleSignedRfe, signCanonicalRfe } from '../../domain/signing/sign-rfe.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import { CliUsageError, type Command } from './command.js';
import { readPassword } from './password-input.js';

async function readInput(path: string | undefined, what: string): Promise<Buffer> {
  if (!path) throw new CliUsageError(`expected a ${what}`);
  try {
    return await readFile(path);
  } catch (err) {
    throw new CliUsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

const factsText = (facts: ReturnType<typeof loadP12>['facts']) =>
  [
    `subject      ${facts.subject}`,
    `issuer       ${facts.issuer}`,
    `serial       ${facts.serialNumber}`,
    `sha256       ${facts.fingerprintSha256}`,
    `valid from   ${facts.notBefore}`,
    `valid until  ${facts.notAfter} (${facts.daysLeft} days left)`,
    `RUC          ${facts.ruc ?? '(none found in the subject)'}`,
  ].join('\n');

export const certCommand: Command = {
  name: 'cert',
  usage: 'fepa cert <file.p12> [--password-env NAME]',
  summary: 'Open a P12 and print its certificate facts, or exactly why it cannot be used (exit 1).',
  options: { 'password-env': { type: 'string' } },
  async run({ args, values, out, err }) {
    const p12 = await readInput(args[0], 'P12 file');
    const password = await readPassword(values['password-env'] as string | undefined, 'P12 password: ');
    try {
      out(factsText(loadP12(p12, password).facts));
      return 0;
    } catch (e) {
      if (!(e instanceof CertificateError)) throw e;
      if (e.facts) out(factsText(e.facts));
      err(`${e.code}: ${e.message}`);
      return 1;
    }
  },
};

export const signCommand: Command = {
  name: 'sign',
  usage: 'fepa sign <doc.xml> --p12 <file> --password-env NAME [--qr-key-env NAME]',
  summary:
    'Sign an unsigned rFE (as `fepa build` writes it) and append its QR; the signed XML goes to stdout.',
  options: { p12: { type: 'string' }, 'password-env': { type: 'string' }, 'qr-key-env': { type: 'string' } },
  async run({ args, values, out, err }) {
    const xml = (await readInput(args[0], 'document XML')).toString('utf8');
    const p12 = await readInput(values.p12 as string | undefined, '--p12 file');
    const password = await readPassword(values['password-env'] as string | undefined, 'P12 password: ');
    const qrKeyEnv = values['qr-key-env'] as string | undefined;
    const qrKey = qrKeyEnv ? process.env[qrKeyEnv] : process.env.FEPA_QR_KEY;
    if (!qrKey) throw new CliUsageError('the QR key is needed: set FEPA_QR_KEY or pass --qr-key-env NAME');
    const read = readRfe(xml);
    const completed = read.ok ? validateDocument(read.document) : read;
    if (!completed.ok) {
      err(
        `the document is not valid:\n${completed.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      );
      return 1;
    }
    let loaded;
    try {
      loaded = loadP12(p12, password);
    } catch (e) {
      if (e instanceof CertificateError) {
        err(`${e.code}: ${e.message}`);
        return 1;
      }
      throw e;
    }
    const canonical = writeCanonicalRfe(completed.document);
    const key = {
      privateKey: loaded.privateKey,
      certificateBase64: loaded.certificate.raw.toString('base64'),
      subjectName: rfc2253(loaded.certificate.subject),
    };
    const { signature, digestValue } = signCanonicalRfe(canonical, key);
    const qr = buildQrUrl({
      cufe: completed.document.dId,
      iAmb: completed.document.gDGen.iAmb,
      digestValue,
      key: qrKey,
    });
    out(assembleSignedRfe(canonical, signature, qr));
    return 0;
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'fepa verify <signed.xml> [--cert <file.pem>]',
  summary: 'Check the signature of a signed rFE (gNoFirm removed first); exit 1 with the failing part.',
  options: { cert: { type: 'string' } },
  async run({ args, values, out, err }) {
    const xml = (await readInput(args[0], 'signed XML')).toString('utf8');
    const certPath = values.cert as string | undefined;
    const certificate = certPath ? new X509Certificate(await readInput(certPath, 'certificate')) : undefined;
    const result = verifySignedRfe(xml, certificate ? { certificate } : {});
    if (!result.ok) {
      err(`signature does not hold: ${result.failure}: ${result.reason}`);
      return 1;
    }
    out(`signature holds: signed by ${rfc2253(result.certificate.subject)}, digest ${result.digestValue}`);
    return 0;
  },
};

export const sandboxP12Command: Command = {
  name: 'sandbox-p12',
  usage: 'fepa sandbox-p12 --ruc <RUC> [--dv NN] [--name TEXT] --password-env NAME > company.p12',
  summary: 'Write a self-signed P12 for the sandbox PAC (not valid before the DGI) to stdout.',
  options: {
    ruc: { type: 'string' },
    dv: { type: 'string' },
    name: { type: 'string' },
    'password-env': { type: 'string' },
  },
  async run({ values }) {
    const ruc = values.ruc as string | undefined;
    if (!ruc) throw new CliUsageError('--ruc is required');
    if (process.stdout.isTTY) throw new CliUsageError('the P12 is binary: redirect stdout to a file');
    const password = await readPassword(values['password-env'] as string | undefined, 'P12 password: ');
    const p12 = makeSandboxP12({
      ruc,
      ...(values.dv ? { dv: values.dv as string } : {}),
      name: (values.name as string | undefined) ?? 'EMPRESA DE PRUEBA',
      password,
    });
    process.stdout.write(p12);
    return 0;
  },
};
