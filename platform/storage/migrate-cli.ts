// `npm run migrate`: apply pending migrations to DATABASE_URL (created when missing).
import { loadSettings, requireSetting } from '../config/settings.js';
import { ensureDatabaseExists } from './ensure-database.js';
import { runMigrations } from './migrate.js';

const settings = loadSettings();
const url = requireSetting(
  settings.databaseUrl,
  'DATABASE_URL',
  'Point it at the PostgreSQL server to migrate.',
);
const { created, database } = await ensureDatabaseExists(url);
if (created) console.log(`created database ${database}`);
const applied = await runMigrations(url);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
