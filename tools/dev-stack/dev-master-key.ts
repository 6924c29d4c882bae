import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '../../platform/config/settings.js';
import { resolveMasterKey } from '../../platform/secrets/master-key.js';

/**
 * Secrets at rest are sealed with a master key. Without FEPA_MASTER_KEY(_FILE), a local stack gets a
 * generated key file in the data folder, with a warning: fine for trying fepa, not for production.
 * Answers the environment its child processes need.
 */
export async function provideMasterKey(settings: Settings, log: Logger): Promise<NodeJS.ProcessEnv> {
  if (settings.masterKey || settings.masterKeyFile) return {};
  const file = join(settings.dataDir, 'master.key');
  const { source } = await resolveMasterKey({ value: undefined, file, createIfMissing: true });
  log.warn(
    { file, generated: source === 'generated' },
    'FEPA_MASTER_KEY is not set: secrets are sealed with the key file in the data folder. Set FEPA_MASTER_KEY in production and keep it outside the data.',
  );
  return { FEPA_MASTER_KEY_FILE: file };
}
