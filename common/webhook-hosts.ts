/**
 * Webhooks go only to hosts an operator allowed (`FEPA_WEBHOOK_ALLOWED_HOSTS`): `erp.example.com` exactly,
 * `*.example.com` any subdomain. Nothing is allowed by default, so a tenant cannot make fepa call internal
 * addresses (cloud metadata, databases, the Temporal frontend).
 */
export function webhookHostAllowed(url: string, allowedHosts: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return allowedHosts.some((entry) =>
    entry.startsWith('*.') ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1 : host === entry,
  );
}
