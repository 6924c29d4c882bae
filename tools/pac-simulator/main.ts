// The PAC simulator as a process: `npm start` runs it as the sandbox PAC; `npm run simulator` alone.
import { createLogger } from '../../platform/config/logger.js';
import { loadSettings } from '../../platform/config/settings.js';
import { stopWhenParentGone } from '../../platform/config/parent-lifeline.js';
import { PacSimulator } from './pac-simulator.js';
import { buildSimulatorApp } from './simulator-app.js';
import { MemorySimStore, PostgresSimStore } from './sim-store.js';

const settings = loadSettings();
const log = createLogger(settings, 'pac-simulator');
const store = settings.simulatorDatabaseUrl
  ? PostgresSimStore.connect(settings.simulatorDatabaseUrl)
  : new MemorySimStore();
const sim = new PacSimulator(store, {
  autoRegisterSandbox: true,
  latency: settings.simulatorLatency === 'realistic' ? { mode: 'realistic' } : { mode: 'none' },
});
const server = buildSimulatorApp(sim, log).listen(settings.simulatorPort, settings.apiHost, () => {
  log.info(
    {
      url: `http://${settings.apiHost}:${settings.simulatorPort}`,
      store: settings.simulatorDatabaseUrl ? 'postgres' : 'memory',
    },
    'PAC simulator listening',
  );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => void store.close().then(() => process.exit(0)));
  });
}
stopWhenParentGone();
