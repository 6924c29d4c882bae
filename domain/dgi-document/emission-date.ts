import { panamaDateTime } from './panama-time.js';

/**
 * `dFechaEm` may be left to fepa (a point of sale selling now): the time fepa accepted the request, in Panama
 * time, written into the request before it is validated and stored, so every build of the document (retries,
 * resubmissions) carries the same date. A request that gives dFechaEm keeps it. The DGI's own window for
 * emission dates (how far back or ahead it accepts) is not given by a public source we have [UNCERTAIN]: the
 * PAC's answer decides, as before.
 */
export function stampEmissionDate(request: unknown, acceptedAt: Date): unknown {
  if (!request || typeof request !== 'object' || Array.isArray(request)) return request;
  const gDGen = (request as { gDGen?: unknown }).gDGen;
  if (!gDGen || typeof gDGen !== 'object' || Array.isArray(gDGen)) return request;
  if ((gDGen as { dFechaEm?: unknown }).dFechaEm !== undefined) return request;
  return { ...request, gDGen: { ...gDGen, dFechaEm: panamaDateTime(acceptedAt) } };
}
