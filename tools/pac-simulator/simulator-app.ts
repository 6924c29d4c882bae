import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from '../../api/middleware/error-handler.js';
import { requestContext } from '../../api/middleware/request-context.js';
import { adminRoutes } from './admin-routes.js';
import { aludraRoutes } from './aludra-routes.js';
import { edocRoutes } from './edoc-routes.js';
import { hkaRoutes } from './hka-routes.js';
import type { PacSimulator } from './pac-simulator.js';

/**
 * The PAC APIs on one port: Aludra under `/aludra`, eDoc under `/edoc/EdocPanama/4.0`, The Factory HKA's
 * SOAP service under `/hka`, control under `/_sim`.
 */
export function buildSimulatorApp(sim: PacSimulator, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(log));
  app.use(express.json({ limit: '5mb' }));
  app.use('/aludra', sim.outage.middleware(), aludraRoutes(sim));
  app.use('/edoc/EdocPanama/4.0', sim.outage.middleware(), edocRoutes(sim));
  app.use(
    '/hka',
    sim.outage.middleware(),
    express.text({ type: ['text/xml', 'application/soap+xml'], limit: '5mb' }),
    hkaRoutes(sim),
  );
  app.use(adminRoutes(sim));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', pacs: ['aludra', 'edoc', 'hka'] });
  });
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

export const SIMULATOR_PATHS = { aludra: '/aludra', edoc: '/edoc/EdocPanama/4.0', hka: '/hka' } as const;
