import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

/** Routes the Temporal SDK's logs (worker, workflow `log`, activity `log`) into our pino logger. */
export function temporalLoggerFor(log: Logger): DefaultLogger {
  return new DefaultLogger('INFO', (entry: LogEntry) => {
    const fields = { ...entry.meta, sdk: true };
    switch (entry.level) {
      case 'TRACE':
        log.trace(fields, entry.message);
        break;
      case 'DEBUG':
        log.debug(fields, entry.message);
        break;
      case 'INFO':
        // webpack's multi-line bundle report is noise at INFO.
        if (entry.message.startsWith('asset workflow-bundle')) log.debug(fields, entry.message);
        else log.info(fields, entry.message);
        break;
      case 'WARN':
        log.warn(fields, entry.message);
        break;
      case 'ERROR':
        log.error(fields, entry.message);
        break;
    }
  });
}
