import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../route-definition.js';

/** Swagger UI is served from the installed package: no CDN, so `/docs` works offline and under a strict CSP. */
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

export const DOCS_ASSETS_PATH = '/docs/assets';

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>fepa API reference</title>
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSETS_PATH}/start.js"></script>
</body>
</html>
`;

// A separate file, not an inline script, so the Content-Security-Policy needs no 'unsafe-inline' for scripts.
const startScript = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
});
`;

/** `/openapi.json` and the interactive reference at `/docs`. */
export function referenceRoutes(openApi: () => unknown): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      access: 'public',
      tag: 'Reference',
      summary: 'This API as OpenAPI 3.1',
      responses: {
        200: { description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.string() }) },
      },
      handle({ res }) {
        res.json(openApi());
      },
    }),
    defineRoute({
      method: 'get',
      path: '/docs',
      access: 'public',
      tag: 'Reference',
      summary: 'Interactive API reference (HTML)',
      responses: { 200: { description: 'The reference page', contentType: 'text/html' } },
      handle({ res }) {
        res.type('html').send(page);
      },
    }),
  ];
}

/** The reference page's static files (Swagger UI and its start script); not API operations, so not in OpenAPI. */
export function referenceAssets(): Router {
  const router = Router();
  router.use(DOCS_ASSETS_PATH, (req, res, next) => {
    if (req.method === 'GET' && req.path === '/start.js') res.type('text/javascript').send(startScript);
    else next();
  });
  router.use(DOCS_ASSETS_PATH, express.static(swaggerUiDir, { index: false, maxAge: '1d' }));
  return router;
}
