import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const run = promisify(execFile);

/** Verifiers expect the document as signed: without gNoFirm (the QR is appended after signing). */
export const withoutQr = (xml: string) => xml.replace(/<gNoFirm>[\s\S]*?<\/gNoFirm>/, '');

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fepa-xmlsec-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `xmlsec1 --verify` (Debian xmlsec1), trusting the given certificate. */
export async function xmlsecVerifies(xml: string, certificatePem: string): Promise<boolean> {
  return inTempDir(async (dir) => {
    await writeFile(join(dir, 'doc.xml'), xml);
    await writeFile(join(dir, 'cert.pem'), certificatePem);
    try {
      await run('xmlsec1', ['--verify', '--pubkey-cert-pem', join(dir, 'cert.pem'), join(dir, 'doc.xml')]);
      return true;
    } catch {
      return false;
    }
  });
}

/** Signs `template` (an rFE holding an empty Signature template) with `xmlsec1 --sign`. */
export async function xmlsecSign(
  template: string,
  privateKeyPem: string,
  certificatePem: string,
): Promise<string> {
  return inTempDir(async (dir) => {
    await writeFile(join(dir, 'template.xml'), template);
    await writeFile(join(dir, 'key.pem'), privateKeyPem);
    await writeFile(join(dir, 'cert.pem'), certificatePem);
    await run('xmlsec1', [
      '--sign',
      '--privkey-pem',
      `${join(dir, 'key.pem')},${join(dir, 'cert.pem')}`,
      '--output',
      join(dir, 'signed.xml'),
      join(dir, 'template.xml'),
    ]);
    return readFile(join(dir, 'signed.xml'), 'utf8');
  });
}

/** xml-crypto's own verification, with the certificate given (not trusted from KeyInfo). */
export function xmlCryptoVerifies(xml: string, certificatePem: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').item(0);
  if (!signature) return false;
  const verifier = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(signature);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}
