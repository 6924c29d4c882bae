import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import { stopWhenParentGone } from './parent-lifeline.js';
import { loadSettings, requireSetting, type Settings } from './settings.js';

/** What the API and the worker processes both start from: settings, a logger, PostgreSQL and Temporal. */
export function serviceProcess(name: 'api' | 'worker'): {
  settings: Settings;
  log: Logger;
  databaseUrl: string;
  temporalAddress: string;
} {
  const settings = loadSettings();
  stopWhenParentGone();
  return {
    settings,
    log: createLogger(settings, name),
    databaseUrl: requireSetting(
      settings.databaseUrl,
      'DATABASE_URL',
      `The ${name} needs PostgreSQL; \`npm start\` sets it for you.`,
    ),
    temporalAddress: settings.temporalAddress ?? `127.0.0.1:${settings.temporalDevPort}`,
  };
}
