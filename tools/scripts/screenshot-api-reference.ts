// `npm run docs:screenshot`: renders /docs in headless Chromium and saves docs/api-reference.png.
// The page only needs the route table, so this serves the reference alone, without Temporal or PostgreSQL.
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import helmet from 'helmet';
import { pino } from 'pino';
import { mountRoutes } from '../../api/mount-routes.js';
import { buildOpenApi } from '../../api/openapi.js';
import { RateLimiter } from '../../api/middleware/rate-limit.js';
import { requestContext } from '../../api/middleware/request-context.js';
import { API_VERSION, apiRoutes, type ApiDeps } from '../../api/server.js';
import { referenceAssets, referenceRoutes } from '../../api/routes/reference.js';
import { PROJECT_ROOT } from '../../platform/config/settings.js';

const run = promisify(execFile);
const output = join(PROJECT_ROOT, 'docs/api-reference.png');
const browser = process.env.CHROMIUM_PATH ?? 'chromium';

// Building the route list touches none of its dependencies.
const openApi = buildOpenApi(apiRoutes({} as ApiDeps), { version: API_VERSION });
const app = express();
app.use(requestContext(pino({ level: 'silent' })));
app.use(helmet());
app.use(referenceAssets());
app.use(
  mountRoutes(
    referenceRoutes(() => openApi),
    {
      limiter: new RateLimiter(1000, 1000),
      bodyLimitBytes: 1024,
    } as Parameters<typeof mountRoutes>[1],
  ),
);
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/docs`;
try {
  await run(
    browser,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--window-size=1280,2200',
      '--virtual-time-budget=10000',
      `--screenshot=${output}`,
      url,
    ],
    { timeout: 60_000 },
  );
  console.log(`saved ${output} (rendered ${url})`);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  console.error(
    code === 'ENOENT'
      ? `${browser} not found: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH`
      : `Chromium failed: ${(err as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  server.close();
}
