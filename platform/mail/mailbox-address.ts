import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostMatch, isInternalAddress } from '../outbound/allowed-hosts.js';
import { OutboundRefused, type Resolver } from '../outbound/outbound-guard.js';

/**
 * IMAP hosts of the mail services Panamanian companies use, published by their providers: a company may set
 * these without the operator's help (TLS only). Others need FEPA_MAIL_ALLOWED_HOSTS (allowed-hosts.ts syntax).
 */
export const KNOWN_IMAP_HOSTS = [
  'imap.gmail.com',
  'outlook.office365.com',
  'imap.mail.yahoo.com',
  'imap.zoho.com',
  'imap.secureserver.net',
] as const;

export const MAIL_ALLOWED_HOSTS_SETTING = 'FEPA_MAIL_ALLOWED_HOSTS';

export type MailboxCheck =
  { ok: true; internalAllowed: boolean } | { ok: false; rule: string; message: string };

/**
 * A company's mailbox address under the outbound rule of webhooks and PACs (platform/outbound): a known
 * provider over TLS, or a host the operator allows; the port is part of the match (`mail.example.com:993`).
 */
export function checkMailboxAddress(
  address: { host: string; port: number; secure: boolean },
  allowedHosts: readonly string[],
): MailboxCheck {
  const host = address.host.toLowerCase();
  if (!/^[a-z0-9.-]{1,253}$|^[0-9a-f:]+$/i.test(host))
    return { ok: false, rule: 'host', message: 'host must be a host name or an IP address' };
  const match = hostMatch(`https://${isIP(host) === 6 ? `[${host}]` : host}:${address.port}/`, allowedHosts);
  if (match) return { ok: true, internalAllowed: match === 'exact' };
  if ((KNOWN_IMAP_HOSTS as readonly string[]).includes(host)) {
    if (!address.secure)
      return { ok: false, rule: 'tls', message: `the mailbox at ${host} must use TLS (secure: true)` };
    return { ok: true, internalAllowed: false };
  }
  return {
    ok: false,
    rule: 'allowed-host',
    message: `${host}:${address.port} is not an allowed mail host (known: ${KNOWN_IMAP_HOSTS.join(', ')}); the operator lists others in ${MAIL_ALLOWED_HOSTS_SETTING}`,
  };
}

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * Where to connect: the address checked again at the call, its name resolved here and every answer checked
 * (a host the operator did not list by exact name must not resolve inside the network), the connection made
 * to the checked address with the name kept for TLS.
 */
export async function resolveMailboxAddress(
  address: { host: string; port: number; secure: boolean },
  allowedHosts: readonly string[],
  resolve: Resolver = systemResolver,
): Promise<{ connectTo: string; servername: string }> {
  const check = checkMailboxAddress(address, allowedHosts);
  if (!check.ok) throw new OutboundRefused('OUTBOUND_HOST_NOT_ALLOWED', check.message);
  const addresses = isIP(address.host) ? [address.host] : await resolve(address.host);
  if (!check.internalAllowed) {
    const internal = addresses.filter(isInternalAddress);
    if (internal.length > 0 || addresses.length === 0)
      throw new OutboundRefused(
        'OUTBOUND_INTERNAL_ADDRESS',
        `mail host ${address.host} resolves to an internal address (${internal.join(', ') || 'none'}); only hosts the operator lists by exact name may`,
      );
  }
  return { connectTo: addresses[0]!, servername: address.host };
}
