import { pino, type Logger } from 'pino';
import type { Settings } from './settings.js';

/** Paths whose values never reach a log line, whatever logs them. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'p12',
  '*.p12',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'masterKey',
  'p12Base64',
  '*.p12Base64',
  'qrKey',
  'FEPA_MASTER_KEY',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
];

/** JSON logs for machines; a readable, coloured mode for a person at a terminal. */
export function createLogger(settings: Pick<Settings, 'logLevel' | 'logFormat'>, name: string): Logger {
  return pino({
    name,
    level: settings.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(settings.logFormat === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}
