// `npm run temporal:provision`: find or build the Temporal binaries now (CI does this before the tests):
// the CLI (dev server, support commands), the full server with its sql tool and the UI server (`npm run cluster`).
import { createLogger } from '../../platform/config/logger.js';
import { loadSettings } from '../../platform/config/settings.js';
import { INSTALL_HELP, resolveTemporalBinary } from './temporal-binary.js';
import { resolveTemporalServer, resolveTemporalUi } from './temporal-server-binary.js';

const settings = loadSettings();
const log = createLogger(settings, 'provision');
const binary = await resolveTemporalBinary({
  cliPath: settings.temporalCliPath,
  cacheDir: settings.cacheDir,
  log,
});
if (binary.kind === 'path') {
  log.info({ path: binary.path, source: binary.source }, 'temporal binary ready');
} else {
  log.error({ reason: binary.reason }, `no temporal binary could be provisioned.\n${INSTALL_HELP}`);
  process.exit(1);
}
const server = await resolveTemporalServer({ cacheDir: settings.cacheDir, log });
log.info(server, 'Temporal server and sql tool ready');
const ui = await resolveTemporalUi({ cacheDir: settings.cacheDir, log });
log.info({ ui }, 'Temporal UI server ready (npm run cluster)');
