import type { Logger } from 'pino';
import type { DocumentService } from './document-service.js';

/** Rows younger than this may still be starting their workflow (the request creating them is running). */
export const ORPHAN_GRACE_MS = 30_000;

/**
 * Starts the workflows of documents whose row committed but whose start never happened (a crash in
 * between); logs what it did, never throws.
 */
export async function sweepOrphans(documents: DocumentService, log: Logger): Promise<number> {
  try {
    const started = await documents.startOrphans(ORPHAN_GRACE_MS);
    if (started) log.warn({ started }, 'started the workflows of documents left without one by a crash');
    return started;
  } catch (err) {
    log.warn({ err }, 'could not look for documents without a workflow; trying again later');
    return 0;
  }
}

/** Sweeps at once, then every `intervalMs` (the API process). */
export function startOrphanSweeper(
  documents: DocumentService,
  log: Logger,
  intervalMs: number,
): { stop(): void } {
  void sweepOrphans(documents, log);
  const timer = setInterval(() => void sweepOrphans(documents, log), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
