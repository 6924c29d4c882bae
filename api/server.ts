import express, { type Express } from 'express';
import { PacSettingsService } from '../app/services/pac-settings-service.js';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { SecretBox } from '../platform/secrets/secret-box.js';
import type { ApiKeyService } from '../app/services/api-key-service.js';
import type { CertificateService } from '../app/services/certificate-service.js';
import { CafeService } from '../app/services/cafe-service.js';
import { DeliveryService } from '../app/services/delivery-service.js';
import { DocumentActions } from '../app/services/document-actions.js';
import type { DocumentService } from '../app/services/document-service.js';
import type { Sql } from '../platform/storage/database.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { RateLimiter } from './middleware/rate-limit.js';
import { requestContext } from './middleware/request-context.js';
import { mountRoutes } from './mount-routes.js';
import { buildOpenApi } from './openapi.js';
import type { AnyRoute } from './route-definition.js';
import { certificateRoutes } from './routes/certificates.js';
import { companyRoutes } from './routes/companies.js';
import { diagnosticRoutes } from './routes/diagnostics.js';
import { documentRoutes } from './routes/documents.js';
import { healthRoutes } from './routes/health.js';
import { pacSettingsRoutes } from './routes/pac-settings.js';
import { referenceAssets, referenceRoutes } from './routes/reference.js';
import { webhookRoutes } from './routes/webhooks.js';
import { contingencyRoutes } from './routes/contingency.js';
import { hkaRoutes } from './routes/hka.js';
import { receivedRoutes } from './routes/received.js';
import { mailboxRoutes } from './routes/mailbox.js';
import { bookRoutes } from './routes/books.js';
import { archiveRoutes } from './routes/archive.js';
import { ArchiveService } from '../app/services/archive-service.js';
import { BooksService } from '../app/services/books-service.js';
import { MailboxService } from '../app/services/mailbox-service.js';
import { ReceivedService } from '../app/services/received-service.js';
import { PacAccountService } from '../app/services/pac-account-service.js';
import { ContingencyService } from '../app/services/contingency-service.js';

export interface ApiDeps {
  client: Client;
  sql: Sql;
  log: Logger;
  namespace: string;
  /** Overrides the documents task queue (tests run their own worker on a private queue). */
  taskQueue?: string;
  certificates: CertificateService;
  documents: DocumentService;
  keys: ApiKeyService;
  box: SecretBox;
  bodyLimitBytes: number;
  rateLimit: { perMinute: number; burst: number };
  webhookAllowedHosts: readonly string[];
  /** FEPA_PAC_ALLOWED_HOSTS (the PACs' published hosts are always allowed). */
  pacAllowedHosts?: readonly string[];
  webhookSecretOverlapHours: number;
  /** The legend each PAC requires on CAFEs (FEPA_CAFE_PAC_LEGENDS). */
  cafePacLegends?: Partial<Record<string, string>>;
  /** FEPA_MAIL_ALLOWED_HOSTS (known providers' IMAP hosts are always allowed). */
  mailAllowedHosts?: readonly string[];
  /** Receiving's services (tests give their own: a PAC task queue prefix, short timings). */
  received?: ReceivedService;
  mailboxes?: MailboxService;
  /** Express's `trust proxy`: whose `X-Forwarded-For` gives the caller's address (rate limits by address). */
  trustProxy?: boolean | number | string;
}

export const API_VERSION = '1.0.0';

/** Every route of the API; the router and the OpenAPI document are both built from this list. */
export function apiRoutes(deps: ApiDeps): AnyRoute[] {
  const routes: AnyRoute[] = [
    ...healthRoutes(deps),
    ...referenceRoutes(() => openApi),
    ...diagnosticRoutes({ client: deps.client, taskQueue: deps.taskQueue }),
    ...companyRoutes(deps),
    ...certificateRoutes(deps),
    ...pacSettingsRoutes({
      pacSettings: new PacSettingsService({
        sql: deps.sql,
        box: deps.box,
        pacAllowedHosts: deps.pacAllowedHosts ?? [],
      }),
    }),
    ...webhookRoutes({
      ...deps,
      allowedHosts: deps.webhookAllowedHosts,
      overlapHours: deps.webhookSecretOverlapHours,
    }),
    ...contingencyRoutes({
      contingencies: new ContingencyService({
        sql: deps.sql,
        client: deps.client,
        documents: deps.documents,
      }),
    }),
    ...hkaRoutes({
      hka: new PacAccountService({ sql: deps.sql, client: deps.client, documents: deps.documents }),
    }),
    ...receivedRoutes({
      received:
        deps.received ??
        new ReceivedService({ sql: deps.sql, client: deps.client, taskQueue: deps.documents.taskQueue }),
    }),
    ...mailboxRoutes({
      mailboxes:
        deps.mailboxes ??
        new MailboxService({
          sql: deps.sql,
          box: deps.box,
          client: deps.client,
          mailAllowedHosts: deps.mailAllowedHosts ?? [],
          taskQueue: deps.documents.taskQueue,
        }),
    }),
    ...bookRoutes({ books: new BooksService({ sql: deps.sql }) }),
    ...archiveRoutes({
      archives: new ArchiveService({ sql: deps.sql, pacLegends: deps.cafePacLegends ?? {} }),
      log: deps.log,
    }),
    ...documentRoutes({
      documents: deps.documents,
      actions: new DocumentActions({ sql: deps.sql, client: deps.client }),
      cafes: new CafeService({ sql: deps.sql, pacLegends: deps.cafePacLegends ?? {} }),
      deliveries: new DeliveryService({
        sql: deps.sql,
        client: deps.client,
        taskQueue: deps.documents.taskQueue,
        timings: deps.documents.timings,
      }),
    }),
  ];
  const openApi = buildOpenApi(routes, { version: API_VERSION });
  return routes;
}

/** Builds the Express app; `api/main.ts` only listens and shuts down. */
export function buildApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('query parser', 'simple'); // no nested objects from `a[b]=c`: query values are strings
  app.use(requestContext(deps.log));
  app.use(helmet());
  app.use(referenceAssets());
  app.use(
    mountRoutes(apiRoutes(deps), {
      sql: deps.sql,
      box: deps.box,
      keys: deps.keys,
      limiter: new RateLimiter(deps.rateLimit.perMinute, deps.rateLimit.burst),
      bodyLimitBytes: deps.bodyLimitBytes,
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
