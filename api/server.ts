import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { SecretBox } from '../secrets/secret-box.js';
import type { CertificateService } from '../services/certificate-service.js';
import type { DocumentService } from '../services/document-service.js';
import type { Sql } from '../storage/database.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { requestContext } from './middleware/request-context.js';
import { certificateRoutes } from './routes/certificates.js';
import { companyRoutes } from './routes/companies.js';
import { diagnosticRoutes } from './routes/diagnostics.js';
import { documentRoutes } from './routes/documents.js';
import { pacSettingsRoutes } from './routes/pac-settings.js';
import { webhookRoutes } from './routes/webhooks.js';
import { healthRoutes } from './routes/health.js';

export interface ApiDeps {
  client: Client;
  sql: Sql;
  log: Logger;
  namespace: string;
  /** Overrides the documents task queue (tests run their own worker on a private queue). */
  taskQueue?: string;
  bodyLimit?: string;
  certificates: CertificateService;
  documents: DocumentService;
  box: SecretBox;
}

/** Builds the Express app; `api/main.ts` only listens and shuts down. */
export function buildApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.log));
  app.use(express.json({ limit: deps.bodyLimit ?? '1mb' }));
  app.use(healthRoutes(deps));
  app.use(diagnosticRoutes(deps.taskQueue ? { client: deps.client, taskQueue: deps.taskQueue } : deps));
  app.use(companyRoutes(deps));
  app.use(certificateRoutes(deps));
  app.use(pacSettingsRoutes(deps));
  app.use(webhookRoutes(deps));
  app.use(documentRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
