import postgres from 'postgres';
import type { SimDocument } from './sim-types.js';

/** Where the simulator keeps documents: in memory by default, in PostgreSQL when configured. */
export interface SimStore {
  get(key: string): Promise<SimDocument | undefined>;
  put(doc: SimDocument): Promise<void>;
  byCufe(cufe: string): Promise<SimDocument | undefined>;
  list(): Promise<SimDocument[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export class MemorySimStore implements SimStore {
  private readonly docs = new Map<string, SimDocument>();
  get(key: string) {
    return Promise.resolve(this.docs.get(key));
  }
  put(doc: SimDocument) {
    this.docs.set(doc.key, structuredClone(doc));
    return Promise.resolve();
  }
  byCufe(cufe: string) {
    return Promise.resolve([...this.docs.values()].find((d) => d.cufe === cufe));
  }
  list() {
    return Promise.resolve([...this.docs.values()]);
  }
  reset() {
    this.docs.clear();
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

/** The same, in one PostgreSQL table of its own (the simulator is not part of fepa's schema). */
export class PostgresSimStore implements SimStore {
  private ready: Promise<unknown>;
  constructor(private readonly sql: postgres.Sql) {
    this.ready = sql`create table if not exists pac_simulator_documents (key text primary key, cufe text, value jsonb not null)`;
  }
  static connect(url: string): PostgresSimStore {
    return new PostgresSimStore(postgres(url, { max: 4, onnotice: () => {} }));
  }
  async get(key: string) {
    await this.ready;
    const [row] = await this.sql<
      Array<{ value: SimDocument }>
    >`select value from pac_simulator_documents where key = ${key}`;
    return row?.value;
  }
  async put(doc: SimDocument) {
    await this.ready;
    await this
      .sql`insert into pac_simulator_documents (key, cufe, value) values (${doc.key}, ${doc.cufe}, ${this.sql.json(doc as never)})
      on conflict (key) do update set cufe = excluded.cufe, value = excluded.value`;
  }
  async byCufe(cufe: string) {
    await this.ready;
    const [row] = await this.sql<
      Array<{ value: SimDocument }>
    >`select value from pac_simulator_documents where cufe = ${cufe}`;
    return row?.value;
  }
  async list() {
    await this.ready;
    return (await this.sql<Array<{ value: SimDocument }>>`select value from pac_simulator_documents`).map(
      (r) => r.value,
    );
  }
  async reset() {
    await this.ready;
    await this.sql`delete from pac_simulator_documents`;
  }
  async close() {
    await this.sql.end({ timeout: 5 });
  }
}
