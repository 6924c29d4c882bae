import express, {
  Router,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { z } from 'zod';
import type { SecretBox } from '../platform/secrets/secret-box.js';
import type { ApiKeyService } from '../app/services/api-key-service.js';
import type { Sql } from '../platform/storage/database.js';
import { authenticate, authorize, scopeToCallerCompany } from './middleware/authenticate.js';
import { jsonBody, requireBody, requireMediaType } from './middleware/body-guards.js';
import { idempotency } from './middleware/idempotency.js';
import { rateLimit, type RateLimiter } from './middleware/rate-limit.js';
import { HttpProblem } from './problem.js';
import type { AnyRoute } from './route-definition.js';
import { parseBody, parseRequestPart } from './validation.js';

export interface MountDeps {
  sql: Sql;
  box: SecretBox;
  keys: ApiKeyService;
  limiter: RateLimiter;
  bodyLimitBytes: number;
}

const XML_TYPES = ['application/xml', 'text/xml'];

const mediaTypes = (route: AnyRoute): string[] => [
  ...(route.xmlBody ? XML_TYPES : ['application/json']),
  ...(route.multipart ? ['multipart/form-data'] : []),
];

/** A route without query parameters refuses any, as bodies refuse unknown fields. */
const NO_QUERY = z.strictObject({});

function validateQuery(route: AnyRoute): RequestHandler {
  const schema = route.query ?? NO_QUERY;
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.query = parseRequestPart(schema, req.query, 'query') as unknown;
    next();
  };
}

/**
 * Whether a route refuses a request without a body: every `PUT` (a missing body must not reset settings), and
 * every `POST` whose body is not all optional (an action such as `submit` may be sent bare).
 */
function needsBody(route: AnyRoute): boolean {
  if (route.method === 'put') return true;
  if (route.documentedBody) return true;
  return route.body !== undefined && !route.body.safeParse({}).success;
}

/**
 * Every route gets the same chain, in this order: the key (public routes: none, limited by address) →
 * rate limit by key → role → company scope → media type → body → idempotency → query → body validation →
 * handler. Authentication comes before any body is read, so anonymous callers cannot make the API parse
 * large bodies.
 */
export function mountRoutes(routes: AnyRoute[], deps: MountDeps): Router {
  const router = Router();
  const byAddress = rateLimit(deps.limiter, (req) => `ip:${req.ip}`);
  const byKey = rateLimit(deps.limiter, (req) => `key:${req.caller!.keyId}`);
  const checkKey = authenticate(deps.keys);
  // Failed authentications count against the caller's address, so keys cannot be guessed at full speed.
  const auth: RequestHandler = async (req, res, next) => {
    try {
      await checkKey(req, res, next);
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 401) byAddress(req, res, () => undefined);
      throw err;
    }
  };
  const body = jsonBody(deps.bodyLimitBytes);
  const idempotent = idempotency(deps);
  for (const route of routes) {
    const chain: RequestHandler[] = [];
    if (route.access === 'public') chain.push(byAddress);
    else chain.push(auth, byKey, authorize(route.access), scopeToCallerCompany);
    if (route.method === 'post' || route.method === 'put') {
      chain.push(requireMediaType(mediaTypes(route)));
      if (route.xmlBody)
        chain.push(
          express.text({ type: XML_TYPES, limit: route.xmlBody.limitBytes, defaultCharset: 'utf-8' }),
        );
      else chain.push(body);
      chain.push(...(route.before ?? []));
      if (needsBody(route)) chain.push(requireBody);
    }
    if (route.method === 'post' && route.access !== 'public') chain.push(idempotent);
    chain.push(validateQuery(route));
    chain.push(async (req, res) => {
      await route.handle({
        req,
        res,
        body: (route.body ? parseBody(route.body, req.body) : (req.body ?? {})) as unknown,
        query: res.locals.query as unknown,
        params: req.params as Record<string, string>,
        caller: req.caller!,
      });
    });
    router[route.method](route.path, ...chain);
  }
  return router;
}
