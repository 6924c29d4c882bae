import type { Logger } from 'pino';
import type { DocumentService } from './document-service.js';

/**
 * Starts the workflows of documents whose row committed but whose start never happened (a crash in
 * between): at once, then every `intervalMs`. A row younger than `graceMs` may still be starting.
 */
export function startOrphanSweeper(
  documents: DocumentService,
  log: Logger,
  options: { intervalMs: number; graceMs: number },
): { stop(): void; sweep(): Promise<number> } {
  const sweep = async () => {
    try {
      const started = await documents.startOrphans(options.graceMs);
      if (started) log.warn({ started }, 'started the workflows of documents left without one by a crash');
      return started;
    } catch (err) {
      log.warn({ err }, 'could not look for documents without a workflow; trying again later');
      return 0;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), sweep };
}
