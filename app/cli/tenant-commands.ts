import { ROLES, type Role } from '../../platform/access/roles.js';
import { loadSettings } from '../../platform/config/settings.js';
import { checkRucDv } from '../../domain/dgi-document/ruc-check-digit.js';
import { ruc as rucPattern } from '../../domain/dgi-document/schema/primitives.js';
import { ApiKeyService } from '../services/api-key-service.js';
import { createCompany, findCompany } from '../../platform/storage/company-store.js';
import { connectDatabase, type Sql } from '../../platform/storage/database.js';
import { ensureDatabaseExists } from '../../platform/storage/ensure-database.js';
import { runMigrations } from '../../platform/storage/migrate.js';
import { CliUsageError, type Command } from './command.js';

/** DATABASE_URL, or the embedded PostgreSQL of a running `npm start`. */
async function withDatabase<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  const url = settings.databaseUrl ?? `postgres://postgres@127.0.0.1:${settings.embeddedPgPort}/postgres`;
  try {
    if (settings.databaseUrl) await ensureDatabaseExists(url);
    await runMigrations(url);
  } catch (err) {
    throw new CliUsageError(
      `cannot reach PostgreSQL at ${url.replace(/\/\/[^@/]*@/, '//…@')} (${(err as Error).message}); ` +
        'set DATABASE_URL, or keep `npm start` running for its embedded database',
    );
  }
  const sql = connectDatabase(url, { max: 1 });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const text = (values: Record<string, unknown>, name: string): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new CliUsageError(`--${name} is required`);
  return value;
};

function role(values: Record<string, unknown>): Role {
  const value = text(values, 'role');
  if (!(ROLES as readonly string[]).includes(value))
    throw new CliUsageError(`--role must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

export const companyCommand: Command = {
  name: 'company',
  usage: 'fepa company create --ruc <RUC> --dv <DV> --name <name> [--ruc-type 1|2]',
  summary: 'Create a company (tenant) and its first admin API key, printed once.',
  options: {
    ruc: { type: 'string' },
    dv: { type: 'string' },
    name: { type: 'string' },
    'ruc-type': { type: 'string', default: '2' },
  },
  async run({ args, values, out }) {
    if (args[0] !== 'create' || args.length !== 1) throw new CliUsageError('expected `company create`');
    const rucType = text(values, 'ruc-type');
    if (rucType !== '1' && rucType !== '2')
      throw new CliUsageError('--ruc-type must be 1 (natural) or 2 (juridical)');
    const ruc = text(values, 'ruc');
    if (!rucPattern.safeParse(ruc).success) throw new CliUsageError(`--ruc ${ruc} is not a RUC`);
    const dv = checkRucDv(ruc, rucType, text(values, 'dv'));
    if (!dv.ok) throw new CliUsageError(`--dv: ${dv.reason}`);
    const name = text(values, 'name');
    return withDatabase(async (sql) => {
      let company;
      try {
        company = await createCompany(sql, { rucType, ruc, dv: text(values, 'dv'), name });
      } catch (err) {
        if ((err as { code?: string }).code === '23505')
          throw new CliUsageError(`a company with RUC ${ruc} exists; use \`fepa key create\` for a new key`);
        throw err;
      }
      const { key } = await new ApiKeyService(sql).create({
        companyId: company.id,
        role: 'admin',
        name: 'bootstrap',
      });
      out(`company ${company.id} ${company.name} (RUC ${company.ruc} DV ${company.dv})`);
      out(`admin API key (shown once, keep it secret): ${key}`);
      return 0;
    });
  },
};

export const keyCommand: Command = {
  name: 'key',
  usage: 'fepa key create --company <id> --role integrator|operator|admin --name <name>',
  summary: 'Create an API key for a company (e.g. when its admin key is lost), printed once.',
  options: { company: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  async run({ args, values, out }) {
    if (args[0] !== 'create' || args.length !== 1) throw new CliUsageError('expected `key create`');
    const companyId = text(values, 'company');
    const keyRole = role(values);
    const name = text(values, 'name');
    return withDatabase(async (sql) => {
      if (!(await findCompany(sql, companyId))) throw new CliUsageError(`there is no company ${companyId}`);
      const { key, record } = await new ApiKeyService(sql).create({ companyId, role: keyRole, name });
      out(`${record.role} API key ${record.prefix} for company ${companyId} (shown once): ${key}`);
      return 0;
    });
  },
};
