import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Access } from '../platform/access/roles.js';
import type { Caller } from '../app/services/api-key-service.js';

export type Method = 'get' | 'post' | 'put' | 'delete';

export interface ResponseSpec {
  description: string;
  /** JSON body; omitted: no body (or `contentType` says what it is). */
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteContext<B, Q> {
  req: Request;
  res: Response;
  /** The body after validation with `body` (the raw parsed JSON when the route validates it itself). */
  body: B;
  query: Q;
  params: Record<string, string>;
  /** The key's owner; set on every route that is not public. */
  caller: Caller;
}

/**
 * One entry of the API: how Express mounts it, who may call it, and what OpenAPI says about it. Both the
 * router and `/openapi.json` are built from the same list, so they cannot disagree.
 */
export interface ApiRoute<B = unknown, Q = unknown> {
  method: Method;
  /** Express style (`/v1/companies/:companyId`). */
  path: string;
  access: Access;
  tag: string;
  summary: string;
  description?: string;
  /** Validates the JSON body before the handler; issues become a 400 problem naming path and rule. */
  body?: z.ZodType<B>;
  /** Documented body when the handler validates it itself (the DGI document has its own rule engine). */
  documentedBody?: z.ZodType;
  /** A request body shown in the reference (for "Try it out"). */
  example?: unknown;
  /** Other accepted request media types (documented as such), parsed by `before`. */
  multipart?: z.ZodType;
  /** The body is an XML document (application/xml or text/xml), read as text up to `limitBytes`. */
  xmlBody?: { description: string; limitBytes: number };
  query?: z.ZodType<Q>;
  /** Route-specific middleware after authentication (e.g. the multipart parser). */
  before?: RequestHandler[];
  responses: Record<number, ResponseSpec>;
  handle(ctx: RouteContext<B, Q>): Promise<void> | void;
}

/** Keeps the body and query types of a route inferred from its schemas. */
export function defineRoute<B = unknown, Q = unknown>(route: ApiRoute<B, Q>): ApiRoute<B, Q> {
  return route;
}

/** The routes as one list, whatever their body types. */
export type AnyRoute = ApiRoute<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
