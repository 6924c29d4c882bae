import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TIMINGS, type DocumentTimings } from '../../common/document-messages.js';
import { PAC_NAMES } from '../../common/pac-outcome.js';

/** Where the project lives; the default data and cache folders hang off it. */
/** The project's folder, also when running the compiled JavaScript in `dist/` (`npm run build`). */
const aboveConfig = resolve(import.meta.dirname, '..', '..');
export const PROJECT_ROOT = basename(aboveConfig) === 'dist' ? dirname(aboveConfig) : aboveConfig;

const port = z.coerce.number().int().min(1).max(65535);
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optionalText = z.preprocess(emptyToUndefined, z.string().min(1).optional());

/**
 * Every setting fepa reads from the environment, validated once at start-up.
 * The README's settings table and `.env.example` list the same names and defaults.
 */
/** Overrides of a document's waits (`common/document-messages.ts` lists them), all milliseconds or counts. */
const DocumentTimingsSchema = z
  .strictObject(
    Object.fromEntries(Object.keys(DEFAULT_TIMINGS).map((k) => [k, z.number().min(0)])) as Record<
      keyof DocumentTimings,
      z.ZodNumber
    >,
  )
  .partial();

/** An environment value holding JSON; anything unreadable is passed on for the schema to refuse by name. */
function parseJsonSetting(v: unknown): unknown {
  if (typeof v !== 'string' || v === '') return v === '' ? undefined : v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

const SettingsSchema = z.object({
  DATABASE_URL: optionalText,
  FEPA_EMBEDDED_PG_PORT: port.default(54329),
  FEPA_DATA_DIR: z.string().min(1).default(resolve(PROJECT_ROOT, '.data')),
  FEPA_CACHE_DIR: z.string().min(1).default(resolve(PROJECT_ROOT, '.cache')),
  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  FEPA_API_HOST: z.string().min(1).default('127.0.0.1'),
  FEPA_API_PORT: port.default(3000),
  FEPA_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  FEPA_API_METRICS_PORT: z.preprocess(emptyToUndefined, port.optional()),
  FEPA_WORKER_METRICS_PORT: z.preprocess(emptyToUndefined, port.optional()),
  FEPA_TEMPORAL_METRICS_ADDRESS: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
  FEPA_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  FEPA_DGI_SCHEMA_DIR: optionalText,
  FEPA_DGI_CODE_LISTS: z.enum(['2025', '2019']).default('2025'),
  FEPA_MASTER_KEY: optionalText,
  FEPA_MASTER_KEY_FILE: optionalText,
  FEPA_CERT_EXPIRY_WARNING_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  FEPA_QR_KEY: z.string().min(1).default('fepa-sandbox-qr-key-not-for-production'),
  FEPA_SIMULATOR_PORT: port.default(3100),
  FEPA_SIMULATOR_URL: optionalText,
  FEPA_SIMULATOR_DATABASE_URL: optionalText,
  FEPA_SIMULATOR_LATENCY: z.enum(['none', 'realistic']).default('none'),
  FEPA_PAC_MAX_CALLS_PER_SECOND: z.coerce.number().positive().default(20),
  FEPA_API_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  FEPA_API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  FEPA_API_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(100),
  FEPA_API_TRUST_PROXY: z.string().default(''),
  FEPA_WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  FEPA_PAC_ALLOWED_HOSTS: z.string().default(''),
  FEPA_MAIL_ALLOWED_HOSTS: z.string().default(''),
  FEPA_WEBHOOK_SECRET_OVERLAP_HOURS: z.coerce.number().min(0).max(720).default(24),
  // Temporal stores membership ports (base + 10…13) as a PostgreSQL smallint: they must stay below 32768.
  FEPA_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).default(1000),
  // Unset: 40 (the SDK's default), or the cache size when that is smaller (the SDK needs it within the cache).
  FEPA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(2).optional(),
  ),
  FEPA_WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  FEPA_WORKER_STATUS_LOG_SECONDS: z.coerce.number().int().min(0).default(60),
  FEPA_DOCUMENT_TIMINGS: z.preprocess(parseJsonSetting, DocumentTimingsSchema.optional()),
  FEPA_SMTP_URL: optionalText.pipe(
    z
      .url({ protocol: /^smtps?$/, error: 'must be smtp://host:port or smtps://host:port' })
      .refine((u) => !new URL(u).password, 'must not hold a password: put it in FEPA_SMTP_PASSWORD')
      .optional(),
  ),
  FEPA_SMTP_USER: optionalText,
  FEPA_SMTP_PASSWORD: optionalText,
  FEPA_MAIL_FROM: z.email().default('facturacion@fepa.localhost'),
  FEPA_MAIL_REPLY_TO: optionalText.pipe(z.email().optional()),
  FEPA_SMTP_SINK_PORT: port.default(2525),
  FEPA_SMTP_SINK_WEB_PORT: port.default(8025),
  FEPA_CAFE_PAC_LEGENDS: z.preprocess(
    parseJsonSetting,
    z.partialRecord(z.enum(PAC_NAMES), z.string().min(1).max(300)).default({}),
  ),
  FEPA_CLUSTER_BASE_PORT: port
    .max(32_747, 'at most 32747: Temporal keeps membership ports in a smallint')
    .default(7233),
  FEPA_CLUSTER_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16384).default(4),
  FEPA_CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  FEPA_CLUSTER_APIS: z.coerce.number().int().min(1).max(16).default(2),
});

export type RawSettings = z.infer<typeof SettingsSchema>;

/** Every environment variable fepa reads. */
export const SETTING_NAMES = Object.keys(SettingsSchema.shape) as Array<keyof RawSettings>;

export interface Settings {
  /** Set: use that PostgreSQL server. Unset: `npm start` runs embedded PGlite. */
  databaseUrl: string | undefined;
  embeddedPgPort: number;
  dataDir: string;
  cacheDir: string;
  /** Set: use that Temporal cluster and start nothing. Unset: `npm start` runs the dev server. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  temporalCliPath: string | undefined;
  temporalDevPort: number;
  temporalUiPort: number;
  apiHost: string;
  apiPort: number;
  /** Prometheus endpoints (docs/operations.md): on their own ports, off when unset. */
  metrics: {
    host: string;
    apiPort: number | undefined;
    workerPort: number | undefined;
    /** Where the worker's Temporal runtime serves the SDK's metrics, read into the worker's endpoint. */
    temporalAddress: string | undefined;
  };
  logLevel: RawSettings['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  shutdownGraceMs: number;
  /** Folder with the DGI's FE_v1.00.xsd (xmllint-compatible); set: signed documents are schema-checked. */
  dgiSchemaDir: string | undefined;
  /** 32-byte key (hex or base64) sealing secrets at rest; or a file holding it. */
  masterKey: string | undefined;
  masterKeyFile: string | undefined;
  /** A certificate is `expiring` this many days before it expires. */
  certificateExpiryWarningDays: number;
  /** The DGI QR security code (HMAC key of the QR's JWT) used when a company has none of its own. */
  qrKey: string;
  /** Port of the PAC simulator `npm start` runs (the sandbox PAC). */
  simulatorPort: number;
  /** Where the sandbox PAC answers; default: the simulator started by `npm start`. */
  simulatorUrl: string;
  /** Set: the simulator keeps its state in PostgreSQL; unset: in memory. */
  simulatorDatabaseUrl: string | undefined;
  simulatorLatency: 'none' | 'realistic';
  /** Calls per second to each PAC across all workers (task-queue rate limit). */
  pacMaxCallsPerSecond: number;
  /** Largest request body the API reads. */
  apiBodyLimitBytes: number;
  /** Requests per minute per API key (or per address without a key), and the burst allowed on top. */
  apiRateLimitPerMinute: number;
  apiRateLimitBurst: number;
  /**
   * Which proxies' `X-Forwarded-For` to believe for the caller's address (Express's `trust proxy`): false,
   * a hop count, or addresses/subnets. Unset: none, the TCP peer is the caller.
   */
  apiTrustProxy: boolean | number | string;
  /** Hosts webhooks may be sent to (`*.example.com` allowed); empty: no webhooks. */
  webhookAllowedHosts: string[];
  /** Hosts a company's PAC address may use beside the PACs' published ones (FEPA_PAC_ALLOWED_HOSTS). */
  pacAllowedHosts: string[];
  /** Hosts a company's mailbox (IMAP) may use beside the known providers (FEPA_MAIL_ALLOWED_HOSTS). */
  mailAllowedHosts: string[];
  /** After a webhook secret is rotated, the old one also signs for this long. */
  webhookSecretOverlapHours: number;
  /** Workflows a worker keeps in memory between tasks; beyond it they are evicted and replayed. */
  workerMaxCachedWorkflows: number;
  /** Workflow tasks a worker runs at once (at most the cache size). */
  workerMaxConcurrentWorkflowTasks: number;
  /** Activities a worker runs at once, per task queue (documents and each PAC's). */
  workerMaxConcurrentActivities: number;
  /** How often a worker logs its status (cached workflows, tasks in flight, memory); 0: never. */
  workerStatusLogSeconds: number;
  /**
   * Where the customer's copies are e-mailed from (unset: not sent; `npm start` points it at its sink).
   * The password is a secret: it never reaches logs, workflow history or the database.
   */
  mail: {
    smtpUrl: string | undefined;
    user: string | undefined;
    password: string | undefined;
    from: string;
    replyTo: string | undefined;
  };
  /** `npm start`'s local SMTP sink: SMTP port and the page that shows what it received. */
  smtpSink: { port: number; webPort: number };
  /** Text a PAC requires on every CAFE of the documents it authorizes, by PAC name. */
  cafePacLegends: Partial<Record<(typeof PAC_NAMES)[number], string>>;
  /** Waits of new documents (poll delays, offline retries, …) instead of the production defaults. */
  documentTimings: Partial<DocumentTimings> | undefined;
  /** `npm run cluster`: the Temporal services' ports, shards, and how many fepa workers and APIs. */
  cluster: { basePort: number; historyShards: number; workers: number; apis: number };
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = SettingsSchema.safeParse(env);
  const invalid = (lines: string[]) =>
    new SettingsError(`Invalid settings in the environment:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const s = parsed.data;
  const workflowTasks = s.FEPA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS;
  if (workflowTasks !== undefined && workflowTasks > s.FEPA_WORKER_MAX_CACHED_WORKFLOWS)
    throw invalid([
      `FEPA_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed FEPA_WORKER_MAX_CACHED_WORKFLOWS ` +
        `(${s.FEPA_WORKER_MAX_CACHED_WORKFLOWS}): a workflow runs its task from the cache`,
    ]);
  return {
    databaseUrl: s.DATABASE_URL,
    embeddedPgPort: s.FEPA_EMBEDDED_PG_PORT,
    dataDir: resolve(s.FEPA_DATA_DIR),
    cacheDir: resolve(s.FEPA_CACHE_DIR),
    temporalAddress: s.TEMPORAL_ADDRESS,
    temporalNamespace: s.TEMPORAL_NAMESPACE,
    temporalCliPath: s.TEMPORAL_CLI_PATH,
    temporalDevPort: s.TEMPORAL_DEV_PORT,
    temporalUiPort: s.TEMPORAL_UI_PORT,
    apiHost: s.FEPA_API_HOST,
    apiPort: s.FEPA_API_PORT,
    metrics: {
      host: s.FEPA_METRICS_HOST,
      apiPort: s.FEPA_API_METRICS_PORT,
      workerPort: s.FEPA_WORKER_METRICS_PORT,
      temporalAddress:
        s.FEPA_TEMPORAL_METRICS_ADDRESS ??
        (s.FEPA_WORKER_METRICS_PORT ? `127.0.0.1:${s.FEPA_WORKER_METRICS_PORT + 1}` : undefined),
    },
    logLevel: s.LOG_LEVEL,
    logFormat: s.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    shutdownGraceMs: s.FEPA_SHUTDOWN_GRACE_MS,
    dgiSchemaDir: s.FEPA_DGI_SCHEMA_DIR === undefined ? undefined : resolve(s.FEPA_DGI_SCHEMA_DIR),
    masterKey: s.FEPA_MASTER_KEY,
    masterKeyFile: s.FEPA_MASTER_KEY_FILE === undefined ? undefined : resolve(s.FEPA_MASTER_KEY_FILE),
    certificateExpiryWarningDays: s.FEPA_CERT_EXPIRY_WARNING_DAYS,
    qrKey: s.FEPA_QR_KEY,
    simulatorPort: s.FEPA_SIMULATOR_PORT,
    simulatorUrl: s.FEPA_SIMULATOR_URL ?? `http://127.0.0.1:${s.FEPA_SIMULATOR_PORT}`,
    simulatorDatabaseUrl: s.FEPA_SIMULATOR_DATABASE_URL,
    simulatorLatency: s.FEPA_SIMULATOR_LATENCY,
    pacMaxCallsPerSecond: s.FEPA_PAC_MAX_CALLS_PER_SECOND,
    apiBodyLimitBytes: s.FEPA_API_BODY_LIMIT_BYTES,
    apiRateLimitPerMinute: s.FEPA_API_RATE_LIMIT_PER_MINUTE,
    apiRateLimitBurst: s.FEPA_API_RATE_LIMIT_BURST,
    apiTrustProxy: trustProxy(s.FEPA_API_TRUST_PROXY),
    webhookAllowedHosts: hostList(s.FEPA_WEBHOOK_ALLOWED_HOSTS),
    pacAllowedHosts: hostList(s.FEPA_PAC_ALLOWED_HOSTS),
    mailAllowedHosts: hostList(s.FEPA_MAIL_ALLOWED_HOSTS),
    webhookSecretOverlapHours: s.FEPA_WEBHOOK_SECRET_OVERLAP_HOURS,
    workerMaxCachedWorkflows: s.FEPA_WORKER_MAX_CACHED_WORKFLOWS,
    workerMaxConcurrentWorkflowTasks: workflowTasks ?? Math.min(40, s.FEPA_WORKER_MAX_CACHED_WORKFLOWS),
    workerMaxConcurrentActivities: s.FEPA_WORKER_MAX_CONCURRENT_ACTIVITIES,
    workerStatusLogSeconds: s.FEPA_WORKER_STATUS_LOG_SECONDS,
    documentTimings: s.FEPA_DOCUMENT_TIMINGS as Partial<DocumentTimings> | undefined,
    cafePacLegends: s.FEPA_CAFE_PAC_LEGENDS,
    mail: {
      smtpUrl: s.FEPA_SMTP_URL,
      user: s.FEPA_SMTP_USER,
      password: s.FEPA_SMTP_PASSWORD,
      from: s.FEPA_MAIL_FROM,
      replyTo: s.FEPA_MAIL_REPLY_TO,
    },
    smtpSink: { port: s.FEPA_SMTP_SINK_PORT, webPort: s.FEPA_SMTP_SINK_WEB_PORT },
    cluster: {
      basePort: s.FEPA_CLUSTER_BASE_PORT,
      historyShards: s.FEPA_CLUSTER_HISTORY_SHARDS,
      workers: s.FEPA_CLUSTER_WORKERS,
      apis: s.FEPA_CLUSTER_APIS,
    },
  };
}

function trustProxy(value: string): boolean | number | string {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return /^[0-9]+$/.test(v) ? Number(v) : v;
}

/** For processes that cannot run without a database (API, worker): a clear message instead of a crash. */
export function requireSetting<T>(value: T | undefined, name: string, hint: string): T {
  if (value === undefined) throw new SettingsError(`${name} is not set. ${hint}`);
  return value;
}

/** A comma-separated host list (allowed-hosts syntax), trimmed and lower-cased. */
function hostList(value: string): string[] {
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}
