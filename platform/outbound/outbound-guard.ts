import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { FepaError } from '../../common/fepa-error.js';
import { hostMatch, isInternalAddress } from './allowed-hosts.js';

/**
 * Every outbound address a tenant can set (a PAC's base URL, a webhook) goes through one rule before any
 * connection is made: the scheme is http(s), the host is one fepa knows (a PAC's published hosts) or one the
 * operator allowed, and, unless the operator listed that host by its exact name, none of the addresses it
 * resolves to is internal (loopback, private, link-local…). The resolution is checked where the connection
 * is made, so a DNS answer that changes between the check and the call (rebinding) is caught too.
 */
export interface OutboundRule {
  /** What the address is, for messages ("PAC address", "webhook URL"). */
  what: string;
  /** The operator's setting that lists allowed hosts. */
  setting: string;
  /** Hosts fepa knows for this purpose (exact names, https only). */
  knownHosts: readonly string[];
  /** The operator's list (allowed-hosts.ts syntax). */
  allowedHosts: readonly string[];
}

/** The rule for a company's webhook URL: only hosts the operator allows. */
export const webhookRule = (allowedHosts: readonly string[]): OutboundRule => ({
  what: 'webhook URL',
  setting: 'FEPA_WEBHOOK_ALLOWED_HOSTS',
  knownHosts: [],
  allowedHosts,
});

export type OutboundRefusalCode =
  'OUTBOUND_SCHEME' | 'OUTBOUND_HOST_NOT_ALLOWED' | 'OUTBOUND_INTERNAL_ADDRESS';

/** A call fepa refused to make: nothing was sent. */
export class OutboundRefused extends FepaError {
  constructor(
    readonly refusal: OutboundRefusalCode,
    message: string,
  ) {
    super(refusal, message);
  }
}

export type OutboundCheck =
  | { ok: true; internalAllowed: boolean }
  | { ok: false; code: OutboundRefusalCode; rule: string; message: string };

/** The static part of the rule (no DNS): for the API when the address is set, and again at every call. */
export function checkOutboundUrl(url: string, rule: OutboundRule): OutboundCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, code: 'OUTBOUND_SCHEME', rule: 'url', message: `${rule.what} is not a URL` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return {
      ok: false,
      code: 'OUTBOUND_SCHEME',
      rule: 'scheme',
      message: `${rule.what} must be http or https (got ${parsed.protocol.replace(/:$/, '')})`,
    };
  if (parsed.username || parsed.password)
    return {
      ok: false,
      code: 'OUTBOUND_SCHEME',
      rule: 'no-credentials',
      message: `${rule.what} may not carry a user or password`,
    };
  const host = parsed.hostname.toLowerCase();
  const match = hostMatch(url, rule.allowedHosts);
  if (match === 'exact') return { ok: true, internalAllowed: true };
  if (match === 'wildcard') return { ok: true, internalAllowed: false };
  if (rule.knownHosts.includes(host)) {
    if (parsed.protocol !== 'https:')
      return {
        ok: false,
        code: 'OUTBOUND_SCHEME',
        rule: 'https',
        message: `${rule.what} to ${host} must use https`,
      };
    return { ok: true, internalAllowed: false };
  }
  return {
    ok: false,
    code: 'OUTBOUND_HOST_NOT_ALLOWED',
    rule: 'allowed-host',
    message: `${host} is not an allowed host for the ${rule.what}${
      rule.knownHosts.length ? ` (known: ${rule.knownHosts.join(', ')})` : ''
    }; the operator lists others in ${rule.setting}`,
  };
}

export type Resolver = (host: string) => Promise<string[]>;

const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** A lookup for the connection itself that refuses internal addresses (net's callback shape). */
function refusingLookup(resolve: Resolver, what: string): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const internal = addresses.filter(isInternalAddress);
        if (internal.length > 0 || addresses.length === 0) {
          const error = new OutboundRefused(
            'OUTBOUND_INTERNAL_ADDRESS',
            `${what} host ${hostname} resolves to an internal address (${internal.join(', ') || 'none'}); only hosts the operator lists by exact name may`,
          );
          callback(error, '', 0);
          return;
        }
        const chosen = addresses[0]!;
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(
            null,
            addresses.map((address) => ({ address, family: isIP(address) })),
          );
        else callback(null, chosen, isIP(chosen));
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

const dispatchers = new WeakMap<Resolver, Map<string, Dispatcher>>();

function dispatcherFor(resolve: Resolver, what: string): Dispatcher {
  let byWhat = dispatchers.get(resolve);
  if (!byWhat) dispatchers.set(resolve, (byWhat = new Map<string, Dispatcher>()));
  let agent = byWhat.get(what);
  if (!agent) byWhat.set(what, (agent = new Agent({ connect: { lookup: refusingLookup(resolve, what) } })));
  return agent;
}

export type OutboundFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * `fetch` under the rule: refused (OutboundRefused, before any connection) when the address does not pass.
 * `resolve` replaces DNS (tests). Redirects are never followed: a 3xx is the answer.
 */
export function guardedFetch(rule: OutboundRule, resolve: Resolver = systemResolver): OutboundFetch {
  return async (url, init) => {
    const check = checkOutboundUrl(url, rule);
    if (!check.ok) throw new OutboundRefused(check.code, check.message);
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (!check.internalAllowed && isIP(host) && isInternalAddress(host))
      throw new OutboundRefused('OUTBOUND_INTERNAL_ADDRESS', `${rule.what} ${host} is an internal address`);
    try {
      const response = await undiciFetch(url, {
        ...(init as unknown as Parameters<typeof undiciFetch>[1]),
        redirect: 'manual',
        ...(check.internalAllowed ? {} : { dispatcher: dispatcherFor(resolve, rule.what) }),
      });
      return response;
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof OutboundRefused) throw cause;
      throw err;
    }
  };
}
