/** The four services of a Temporal server, each run as its own process in the cluster. */
export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface ClusterDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Workflow state (executions, history, tasks). */
  temporal: string;
  /** Visibility (lists and search attributes in the UI and CLI). */
  visibility: string;
}

export interface ClusterLayout {
  database: ClusterDatabase;
  /** Fixed for the cluster's life: changing it needs a new database. */
  historyShards: number;
  /** gRPC ports start here: frontend +0, history +1, matching +2, worker +3; membership +10…+13; HTTP +20. */
  basePort: number;
  dynamicConfigFile: string;
}

export function frontendAddress(layout: Pick<ClusterLayout, 'basePort'>): string {
  return `127.0.0.1:${layout.basePort}`;
}

/**
 * The server's static configuration (`config/development.yaml` under the run folder), in the shape of
 * the server's own `config/development-postgres12.yaml`: PostgreSQL for both stores, every service on
 * loopback, membership through the database, no metrics or pprof listeners (several processes would
 * fight over their ports).
 */
export function clusterConfigYaml(layout: ClusterLayout): string {
  const { database: db, basePort } = layout;
  const store = (name: string, conns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: ${JSON.stringify(name)}
        connectAddr: "${db.host}:${db.port}"
        connectProtocol: "tcp"
        user: ${JSON.stringify(db.user)}
        password: ${JSON.stringify(db.password)}
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (name: TemporalService, i: number) => `  ${name}:
    rpc:
      grpcPort: ${basePort + i}
      membershipPort: ${basePort + 10 + i}
      bindOnLocalHost: true${name === 'frontend' ? `\n      httpPort: ${basePort + 20}` : ''}`;
  return `# Written by fepa's tools/dev-stack/temporal-cluster-config.ts; regenerated on every start.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${layout.historyShards}
  datastores:
    postgres-default:
${store(db.temporal, 20)}
    postgres-visibility:
${store(db.visibility, 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
${TEMPORAL_SERVICES.map(service).join('\n')}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "${frontendAddress(layout)}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: ${JSON.stringify(layout.dynamicConfigFile)}
  pollInterval: "10s"
`;
}

/**
 * Dynamic configuration: search attributes added at start-up are seen at once (the test starts a
 * document right after registering them), and Updates are on.
 */
export function dynamicConfigYaml(): string {
  return `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
    constraints: {}
frontend.enableUpdateWorkflowExecution:
  - value: true
limit.maxIDLength:
  - value: 255
    constraints: {}
`;
}
