import { BlockList, isIP } from 'node:net';

/**
 * Operator allow-lists of outbound hosts (`FEPA_WEBHOOK_ALLOWED_HOSTS`, `FEPA_PAC_ALLOWED_HOSTS`), one syntax:
 * `erp.example.com` (that host, any port), `127.0.0.1:3100` (that host on that port only), `*.example.com`
 * (any subdomain). Nothing is allowed by default, so a tenant cannot make fepa call internal addresses (cloud
 * metadata, databases, the Temporal frontend).
 */
export type HostMatch = 'exact' | 'wildcard';

const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
const defaultPort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** Splits `host`, `host:port`, `[v6]:port`; a bare IPv6 address has no port. */
function parseEntry(entry: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  if (isIP(entry) === 6) return { host: entry };
  const withPort = /^(.+):(\d+)$/.exec(entry);
  return withPort ? { host: withPort[1]!, port: withPort[2]! } : { host: entry };
}

/** How `url` is allowed by the list, if it is. */
export function hostMatch(url: string, allowedHosts: readonly string[]): HostMatch | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = hostOf(parsed);
  for (const raw of allowedHosts) {
    const entry = parseEntry(raw.toLowerCase());
    if (entry.port !== undefined && entry.port !== defaultPort(parsed)) continue;
    if (entry.host === host) return 'exact';
  }
  const wildcard = allowedHosts.some(
    (entry) => entry.startsWith('*.') && host.endsWith(entry.slice(1)) && host.length > entry.length - 1,
  );
  return wildcard ? 'wildcard' : undefined;
}

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/**
 * Private, loopback, link-local, shared, benchmark and multicast addresses (and IPv4 inside IPv6). A host that
 * is not on the operator's list by its exact name must not resolve to one of them: whoever controls its DNS
 * would otherwise reach the inside of the network. Exact entries are the operator's own choice.
 */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:([0-9.]+)$/i.exec(address)?.[1];
  if (mapped) return INTERNAL.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
