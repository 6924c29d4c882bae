import { BlockList, isIP } from 'node:net';

/**
 * Webhooks go only to hosts an operator allowed (`FEPA_WEBHOOK_ALLOWED_HOSTS`): `erp.example.com` exactly,
 * `*.example.com` any subdomain. Nothing is allowed by default, so a tenant cannot make fepa call internal
 * addresses (cloud metadata, databases, the Temporal frontend).
 */
export function webhookHostMatch(
  url: string,
  allowedHosts: readonly string[],
): 'exact' | 'wildcard' | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  if (allowedHosts.includes(host)) return 'exact';
  const wildcard = allowedHosts.some(
    (entry) => entry.startsWith('*.') && host.endsWith(entry.slice(1)) && host.length > entry.length - 1,
  );
  return wildcard ? 'wildcard' : undefined;
}

export function webhookHostAllowed(url: string, allowedHosts: readonly string[]): boolean {
  return webhookHostMatch(url, allowedHosts) !== undefined;
}

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/**
 * Private, loopback, link-local, shared and multicast addresses. A subdomain allowed by a `*.` entry must not
 * resolve to one of them: whoever controls its DNS would otherwise reach the inside of the network. Exact
 * entries are the operator's own choice and may be internal.
 */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:([0-9.]+)$/i.exec(address)?.[1];
  if (mapped) return INTERNAL.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
