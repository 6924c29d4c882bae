import { z } from 'zod';
import { ProblemSchema } from './response-schemas.js';
import type { AnyRoute } from './route-definition.js';

type JsonSchema = Record<string, unknown>;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** The problems every route of a kind can answer, beyond what the route lists itself. */
function commonProblems(route: AnyRoute): Record<number, string> {
  const problems: Record<number, string> = { 500: 'Unexpected failure (quote the X-Request-Id to support)' };
  if (route.access !== 'public') {
    Object.assign(problems, {
      401: 'Missing, unknown, revoked or expired API key',
      403: `The key's role is below ${route.access}`,
      429: 'Rate limit reached (Retry-After says when to retry)',
    });
    if (route.path.includes(':companyId')) problems[404] = 'Not found (or not this key’s company)';
  }
  if (route.body || route.documentedBody || route.query || route.multipart || route.xmlBody)
    problems[400] = 'Validation failed';
  if (route.method === 'post' || route.method === 'put') {
    Object.assign(problems, { 413: 'Body too large', 415: 'Body is not JSON' });
  }
  if (route.method === 'post' && route.access !== 'public') {
    problems[422] = 'Idempotency-Key reused with another request';
  }
  return problems;
}

/** Schemas are shared through `components.schemas` where they carry an id (`.meta({ id })`). */
class SchemaRegistry {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      target: 'draft-2020-12',
      reused: 'inline',
    }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    for (const [id, def] of Object.entries(defs)) this.components[id] ??= this.rewriteRefs(def);
    const { $schema: _schema, $defs: _defs, ...rest } = json;
    const id = z.globalRegistry.get(schema)?.id;
    if (id) {
      this.components[id] ??= this.rewriteRefs(rest);
      return { $ref: `#/components/schemas/${id}` };
    }
    return this.rewriteRefs(rest);
  }

  private rewriteRefs(schema: JsonSchema): JsonSchema {
    return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  }
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

function parameters(route: AnyRoute, registry: SchemaRegistry): JsonSchema[] {
  const inPath = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? registry.convert(route.query, 'input') : undefined;
  const inQuery = Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, schema]) => ({
      name,
      in: 'query',
      required: ((query?.required ?? []) as string[]).includes(name),
      schema,
    }),
  );
  const idempotencyKey =
    route.method === 'post' && route.access !== 'public'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Same key and request within 24 h: the first answer is replayed. 1–255 printable ASCII.',
            schema: { type: 'string', maxLength: 255 },
          },
        ]
      : [];
  return [...inPath, ...inQuery, ...idempotencyKey];
}

function requestBody(route: AnyRoute, registry: SchemaRegistry): JsonSchema | undefined {
  if (route.xmlBody) {
    const content: JsonSchema = {
      'application/xml': { schema: { type: 'string', description: route.xmlBody.description } },
    };
    if (route.multipart)
      content['multipart/form-data'] = { schema: registry.convert(route.multipart, 'input') };
    return { required: true, content };
  }
  const json = route.documentedBody ?? route.body;
  if (!json) return undefined;
  const content: JsonSchema = {
    'application/json': {
      schema: registry.convert(json, 'input'),
      ...(route.example === undefined ? {} : { example: route.example }),
    },
  };
  if (route.multipart)
    content['multipart/form-data'] = { schema: registry.convert(route.multipart, 'input') };
  return { required: true, content };
}

function responses(route: AnyRoute, registry: SchemaRegistry): JsonSchema {
  const out: JsonSchema = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const isProblem = Number(status) >= 400;
    out[status] = {
      description: spec.description,
      ...(spec.schema
        ? { content: { 'application/json': { schema: registry.convert(spec.schema, 'output') } } }
        : spec.contentType
          ? { content: { [spec.contentType]: { schema: { type: 'string' } } } }
          : isProblem
            ? { content: { 'application/problem+json': { schema: PROBLEM_REF } } }
            : {}),
    };
  }
  for (const [status, description] of Object.entries(commonProblems(route))) {
    out[status] ??= { description, content: { 'application/problem+json': { schema: PROBLEM_REF } } };
  }
  return out;
}

/** OpenAPI 3.1 for the routes, from the zod schemas that validate them (JSON Schema 2020-12 is 3.1's dialect). */
export function buildOpenApi(routes: AnyRoute[], info: { version: string }): JsonSchema {
  const registry = new SchemaRegistry();
  registry.convert(ProblemSchema, 'output');
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const operation: JsonSchema = {
      operationId: `${route.method}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      'x-fepa-role': route.access,
      security: route.access === 'public' ? [] : [{ apiKey: [] }],
      parameters: parameters(route, registry),
      responses: responses(route, registry),
    };
    const body = requestBody(route, registry);
    if (body) operation.requestBody = body;
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'fepa API',
      version: info.version,
      description:
        'Electronic invoicing for Panama (DGI rFE 1.00) on Temporal. Every request except health and this ' +
        'reference needs `Authorization: Bearer <API key>`; a key sees only its own company. Roles: ' +
        '`integrator` (documents), `operator` (also corrections and actions), `admin` (also certificate, PAC, ' +
        'webhook, keys). Errors are RFC 9457 problem details.',
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `fepa_<prefix>_<secret>`' },
      },
      schemas: registry.components,
    },
    paths,
  };
}
