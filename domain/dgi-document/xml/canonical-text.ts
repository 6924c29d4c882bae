/**
 * Escaping exactly as Canonical XML 1.0 writes text (W3C C14N §2.3): `&`, `<`, `>` and carriage
 * return. Writing the document already in canonical form means the bytes fepa builds, hashes and
 * sends are the bytes any verifier canonicalizes to.
 */
export function escapeCanonicalText(value: string): string {
  if (!/[&<>\r]/.test(value)) return value;
  return value.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;',
  );
}
