import type { Settings } from '../../platform/config/settings.js';
import { resolveMasterKey } from '../../platform/secrets/master-key.js';
import { SecretBox } from '../../platform/secrets/secret-box.js';

/** The SecretBox of this process, from FEPA_MASTER_KEY or FEPA_MASTER_KEY_FILE. */
export async function secretBoxFromSettings(
  settings: Pick<Settings, 'masterKey' | 'masterKeyFile'>,
): Promise<SecretBox> {
  const { key } = await resolveMasterKey({ value: settings.masterKey, file: settings.masterKeyFile });
  return new SecretBox([key]);
}
