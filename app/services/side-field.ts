/**
 * A field an integrator sends beside the DGI document, at its top level (`erp`, `lineDecimals`): taken out before
 * the document is validated, so it never reaches the signed XML.
 */
export function takeSideField(
  request: unknown,
  key: string,
):
  | { document: unknown; present: false }
  | { document: Record<string, unknown>; present: true; value: unknown } {
  if (!request || typeof request !== 'object' || Array.isArray(request) || !(key in request))
    return { document: request, present: false };
  const { [key]: value, ...document } = request as Record<string, unknown>;
  return { document, present: true, value };
}
