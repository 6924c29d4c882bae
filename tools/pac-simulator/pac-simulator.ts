import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Outage } from './outage.js';
import { SupplierSide } from './supplier-side.js';
import { makeSelfSignedCertificate } from '../../domain/certificates/self-signed-certificate.js';
import { buildQrUrl, type DgiDocument } from '../../domain/dgi-document/index.js';
import { writeCanonicalRfe } from '../../domain/dgi-document/xml/write-rfe.js';
import { assembleSignedRfe, signCanonicalRfe, type SigningKey } from '../../domain/signing/sign-rfe.js';
import {
  matchesDocument,
  parseCallFault,
  type CallFault,
  type CallFaultRule,
  type CallOperation,
} from './call-faults.js';
import { planSubmission, type OutcomeStep, type SubmissionPlan } from './scenario-script.js';
import { seededRandom } from './seeded-random.js';
import type { SimStore } from './sim-store.js';
import type { RandomFaults, SimAccount, SimDocument, SimPac, SimRule, SimSettings } from './sim-types.js';

export type SimAnswer =
  | { kind: 'document'; doc: SimDocument; duplicate?: boolean }
  | { kind: 'abort'; reason: 'http-500' | 'token-expires-now' }
  /** Nothing taken: the PAC answers with its own code (HKA). */
  | { kind: 'abort'; reason: 'refuse'; code: string };

export interface SubmissionInput {
  pac: SimPac;
  accountId: string;
  document: DgiDocument;
  /** Aludra: the client-signed XML; eDoc: absent (the simulator signs). */
  signedXml?: string;
  receiverName?: string | undefined;
}

const EDOC_STATE_STATUS: Record<string, SimDocument['status']> = {
  '2': 'authorized',
  '4': 'error',
  '6': 'rejected',
  '11': 'annulled',
  '3': 'rejected',
};

/** Panama's local time, as PACs write dates. */
const panamaNow = () => `${new Date(Date.now() - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`;

/**
 * The PAC-neutral heart of the simulator: accounts, tokens, uniqueness, scenarios, state progression,
 * annulment. The Aludra and eDoc routes translate its answers into their wire formats.
 */
export class PacSimulator {
  readonly accounts = new Map<string, SimAccount>();
  /** RUCs the DGI registry does not know (HKA's ConsultarRucDV answers 102 for them). */
  readonly unregisteredRucs = new Set<string>();
  private readonly tokens = new Map<string, { accountId: string; service: number; expiresAt: number }>();
  private rules: SimRule[] = [];
  private callFaults: CallFaultRule[] = [];
  /** Steps left after an aborted submission (http-500, token expiry), for the next one. */
  private readonly leftovers = new Map<string, string[]>();
  private random: (() => number) | undefined;
  private readonly pacKey: SigningKey;
  settings: SimSettings;
  /** A scheduled outage of both PAC APIs (`/_sim/outage`): down for a while, then up by itself. */
  readonly outage = new Outage();
  /** Other emitters issuing to fepa's companies, and the receivers' manifestations (receiving). */
  readonly suppliers: SupplierSide;

  constructor(
    readonly store: SimStore,
    settings: Partial<SimSettings> = {},
    private readonly qrKey = 'pac-simulator-qr-key',
  ) {
    this.settings = {
      latency: { mode: 'none' },
      tokenLifetimeSeconds: 3600,
      autoRegisterSandbox: false,
      ...settings,
    };
    this.pacKey = makePacSigningKey();
    this.suppliers = new SupplierSide(store);
    this.applyRandom();
  }

  // ---- configuration (admin API) ----

  addAccount(id: string, account: SimAccount): void {
    this.accounts.set(id, account);
  }

  addRule(rule: Omit<SimRule, 'id'>): SimRule {
    for (const step of rule.script) planSubmission([step]); // throws ScenarioError on a bad step
    const stored = { ...rule, id: randomUUID() };
    this.rules.push(stored);
    return stored;
  }

  listRules(): SimRule[] {
    return [...this.rules];
  }

  /** Scripts the faults of a document's next status queries or annulments (call-faults.ts). */
  addCallFaults(rule: Omit<CallFaultRule, 'id'>): CallFaultRule {
    for (const step of rule.steps) parseCallFault(step); // throws ScenarioError on a bad step
    const stored = { ...rule, steps: [...rule.steps], id: randomUUID() };
    this.callFaults.push(stored);
    return stored;
  }

  /** The fault of this call, if one is scripted for the document (each call takes one step). */
  takeCallFault(operation: CallOperation, doc: SimDocument | undefined): CallFault | undefined {
    if (!doc) return undefined;
    const rule = this.callFaults.find(
      (r) => r.operation === operation && r.steps.length > 0 && matchesDocument(r, doc),
    );
    const step = rule?.steps.shift();
    return step === undefined ? undefined : parseCallFault(step);
  }

  /** What the DGI decided later, out of band (for example a document authorized after an error). */
  async setDocumentStatus(
    find: { ruc?: string | undefined; number: string },
    status: 'authorized' | 'annulled' | 'rejected',
  ) {
    const doc = (await this.store.list()).find(
      (d) => (!find.ruc || d.ruc === find.ruc) && Number(d.number) === Number(find.number),
    );
    if (!doc) return undefined;
    if (status === 'authorized') this.applyOutcome(doc, { kind: 'authorized' });
    else if (status === 'rejected') this.applyOutcome(doc, { kind: 'reject', code: '1601' });
    else doc.status = 'annulled';
    doc.remaining = [];
    await this.store.put(doc);
    return doc;
  }

  clearRules(): void {
    this.rules = [];
    this.callFaults = [];
  }

  updateSettings(settings: Partial<SimSettings>): void {
    this.settings = { ...this.settings, ...settings };
    this.applyRandom();
  }

  async reset(): Promise<void> {
    this.rules = [];
    this.callFaults = [];
    this.leftovers.clear();
    this.tokens.clear();
    this.outage.end();
    this.unregisteredRucs.clear();
    this.suppliers.manifestations.length = 0;
    await this.store.reset();
  }

  private applyRandom(): void {
    this.random = this.settings.random ? seededRandom(this.settings.random.seed) : undefined;
  }

  // ---- credentials ----

  findAludraAccount(apiKey: string | undefined): string | undefined {
    if (!apiKey) return undefined;
    for (const [id, account] of this.accounts)
      if (account.pac === 'aludra' && account.apiKey === apiKey) return id;
    if (this.settings.autoRegisterSandbox && apiKey.startsWith('sandbox-')) {
      this.addAccount(apiKey, { pac: 'aludra', environment: '2', apiKey, companyCode: '*' });
      return apiKey;
    }
    return undefined;
  }

  /** HKA: the account whose tokens these are (HKA checks both on every call). */
  findHkaAccount(tokenEmpresa: string, tokenPassword: string): string | undefined {
    if (!tokenEmpresa || !tokenPassword) return undefined;
    for (const [id, account] of this.accounts)
      if (
        account.pac === 'hka' &&
        account.tokenEmpresa === tokenEmpresa &&
        account.tokenPassword === tokenPassword
      )
        return id;
    return undefined;
  }

  issueEdocToken(
    user: string,
    password: string,
    service: number,
  ): { token: string; expedido: string; expira: string } | undefined {
    const entry = [...this.accounts].find(
      ([, a]) => a.pac === 'edoc' && a.user === user && a.password === password,
    );
    if (!entry) return undefined;
    const token = `sim.${randomUUID()}`;
    const expiresAt = Date.now() + this.settings.tokenLifetimeSeconds * 1000;
    this.tokens.set(token, { accountId: entry[0], service, expiresAt });
    return { token, expedido: new Date().toISOString(), expira: new Date(expiresAt).toISOString() };
  }

  /** The account behind a valid token; expired or unknown tokens are refused. */
  edocAccountForToken(token: string | undefined): string | undefined {
    const entry = token ? this.tokens.get(token) : undefined;
    if (!entry || Date.now() >= entry.expiresAt) return undefined;
    return entry.accountId;
  }

  expireTokens(accountId: string): void {
    for (const [token, entry] of this.tokens) if (entry.accountId === accountId) this.tokens.delete(token);
  }

  // ---- documents ----

  documentKey(pac: string, doc: DgiDocument): string {
    const g = doc.gDGen;
    return [pac, g.iAmb, g.gEmis.gRucEmi.dRuc, g.gEmis.dSucEm, g.dPtoFacDF, g.iDoc, g.dNroDF].join('|');
  }

  private scriptFor(input: SubmissionInput, key: string, firstSubmission: boolean): string[] {
    const leftover = this.leftovers.get(key);
    if (leftover) {
      this.leftovers.delete(key);
      return leftover;
    }
    const g = input.document.gDGen;
    const rule = this.rules.find(
      (r) =>
        (r.pac === undefined || r.pac === input.pac) &&
        (firstSubmission || r.sticky) &&
        (r.match.ruc === undefined || r.match.ruc === g.gEmis.gRucEmi.dRuc) &&
        (r.match.number === undefined || Number(r.match.number) === Number(g.dNroDF)) &&
        (r.match.receiverName === undefined || r.match.receiverName === input.receiverName),
    );
    if (rule) return [...rule.script];
    if (this.random && this.settings.random) {
      const roll = this.random();
      const { pendingRate, rejectRate, errorRate, faults } = this.settings.random;
      const transport = faults ? this.randomFault(faults) : [];
      if (transport[0] === 'duplicate') return transport;
      if (roll < rejectRate) return [...transport, 'reject:1601'];
      if (roll < rejectRate + errorRate)
        return [...transport, input.pac === 'edoc' ? 'edoc-state:4' : 'reject:1508'];
      if (roll < rejectRate + errorRate + pendingRate)
        return [...transport, 'pending', 'pending', 'authorized'];
      return [...transport, 'authorized'];
    }
    return ['authorized'];
  }

  /** At most one transport fault per first submission, drawn from the seeded stream. */
  private randomFault(faults: RandomFaults): string[] {
    const roll = this.random!();
    const steps: Array<[number, string]> = [
      [faults.loseReply, 'lose-reply'],
      [faults.http500, 'http-500'],
      [faults.hang, `hang:${faults.hangMs}`],
      [faults.duplicate, 'duplicate'],
    ];
    let edge = 0;
    for (const [rate, step] of steps) if (roll < (edge += rate)) return [step];
    return [];
  }

  /** A submission: uniqueness first, then the scenario decides what happens. */
  async submit(input: SubmissionInput): Promise<{ answer: SimAnswer; plan?: SubmissionPlan }> {
    const key = this.documentKey(input.pac, input.document);
    // Same content = same document apart from what each submission may regenerate (dSeg, hence the CUFE).
    const { dId: _cufe, ...rest } = input.document;
    const contentHash = createHash('sha256')
      .update(JSON.stringify({ ...rest, gDGen: { ...rest.gDGen, dSeg: undefined } }))
      .digest('hex');
    const existing = await this.store.get(key);
    if (existing && ['authorized', 'pending', 'annulled'].includes(existing.status)) {
      existing.submissions++;
      await this.store.put(existing);
      const sameContent = existing.contentHash === contentHash;
      // eDoc (state 15) and HKA (102) answer any repeat as a duplicate; Aludra returns the existing result
      // for the same content.
      return {
        answer: { kind: 'document', doc: existing, duplicate: input.pac !== 'aludra' || !sameContent },
      };
    }
    const plan = planSubmission(this.scriptFor(input, key, !existing));
    if (plan.abort) {
      this.leftovers.set(key, plan.leftover); // the rule is spent, even when nothing follows
      if (plan.abort.kind === 'token-expires-now') this.expireTokens(input.accountId);
      const answer: SimAnswer =
        plan.abort.kind === 'refuse'
          ? { kind: 'abort', reason: 'refuse', code: plan.abort.code }
          : { kind: 'abort', reason: plan.abort.kind };
      return { answer, plan };
    }
    const doc: SimDocument = {
      key,
      pac: input.pac,
      account: input.accountId,
      environment: input.document.gDGen.iAmb,
      ruc: input.document.gDGen.gEmis.gRucEmi.dRuc,
      docType: input.document.gDGen.iDoc,
      branch: input.document.gDGen.gEmis.dSucEm,
      pointOfSale: input.document.gDGen.dPtoFacDF,
      number: input.document.gDGen.dNroDF,
      cufe: input.document.dId,
      contentHash,
      status: 'pending',
      remaining: plan.remaining,
      submissions: (existing?.submissions ?? 0) + 1,
      queries: existing?.queries ?? 0,
      receivedAt: panamaNow(),
      signedXml: input.signedXml ?? this.signAsPac(input.document),
    };
    this.applyOutcome(doc, plan.outcome);
    await this.store.put(doc);
    return { answer: { kind: 'document', doc, duplicate: plan.outcome.kind === 'duplicate' }, plan };
  }

  private applyOutcome(doc: SimDocument, outcome: OutcomeStep): void {
    delete doc.edocState;
    delete doc.rejection;
    delete doc.answerCode;
    switch (outcome.kind) {
      case 'authorized':
      case 'duplicate':
        doc.status = 'authorized';
        doc.protocol = Array.from({ length: 20 }, () => String(randomInt(10))).join('');
        doc.authorizedAt = panamaNow();
        break;
      case 'pending':
        doc.status = 'pending';
        break;
      case 'reject':
        doc.status = 'rejected';
        doc.rejection = { code: outcome.code, message: rejectionMessage(outcome.code) };
        if (outcome.more)
          doc.rejection.more = outcome.more.map((code) => ({ code, message: rejectionMessage(code) }));
        break;
      case 'pac-code':
        this.applyOutcome(doc, { kind: 'authorized' });
        doc.answerCode = outcome.code;
        break;
      case 'edoc-state':
        doc.edocState = outcome.state;
        doc.status = EDOC_STATE_STATUS[outcome.state] ?? 'pending';
        if (doc.status === 'authorized') this.applyOutcome(doc, { kind: 'authorized' });
        break;
    }
  }

  /** A status query: a pending document moves along its script (default: authorized). */
  async query(find: { cufe?: string; key?: string }): Promise<SimDocument | undefined> {
    const doc = find.cufe
      ? await this.store.byCufe(find.cufe)
      : find.key
        ? await this.store.get(find.key)
        : undefined;
    if (!doc) return undefined;
    doc.queries++;
    if (doc.status === 'pending') {
      const next = doc.remaining.shift() ?? 'authorized';
      const plan = planSubmission([next]);
      this.applyOutcome(doc, plan.outcome);
    }
    await this.store.put(doc);
    return doc;
  }

  /** Annulment: only of an authorized document; a repeat is answered as already annulled. */
  async annul(cufe: string): Promise<{
    result: 'annulled' | 'already-annulled' | 'not-authorized' | 'not-found';
    doc?: SimDocument;
  }> {
    const doc = await this.store.byCufe(cufe);
    if (!doc) return { result: 'not-found' };
    if (doc.status === 'annulled') return { result: 'already-annulled', doc };
    if (doc.status !== 'authorized') return { result: 'not-authorized', doc };
    doc.status = 'annulled';
    await this.store.put(doc);
    return { result: 'annulled', doc };
  }

  /** Delay per the latency setting (realistic: 2–5 s, 5% of answers take 30–40 s). */
  latencyMs(): number {
    const l = this.settings.latency;
    if (l.mode === 'fixed') return l.ms;
    if (l.mode === 'realistic') {
      const r = Math.random();
      return r < 0.05 ? 30_000 + Math.random() * 10_000 : 2_000 + Math.random() * 3_000;
    }
    return 0;
  }

  /** eDoc signs the documents it builds: the simulator does so with its own throw-away PAC key. */
  private signAsPac(document: DgiDocument): string {
    const canonical = writeCanonicalRfe(document);
    const { signature, digestValue } = signCanonicalRfe(canonical, this.pacKey);
    return assembleSignedRfe(
      canonical,
      signature,
      buildQrUrl({ cufe: document.dId, iAmb: document.gDGen.iAmb, digestValue, key: this.qrKey }),
    );
  }

  qrUrlFor(doc: SimDocument): string {
    const base =
      doc.environment === '1' ? 'https://dgi-fep.mef.gob.pa' : 'https://dgi-fep-test.mef.gob.pa:40001';
    return `${base}/Consultas/FacturasPorCUFE?CUFE=${doc.cufe}`;
  }
}

/** A handful of DGI rejection texts (spec dgi-fe §13.3, pac-apis §5). */
const REJECTION_MESSAGES: Record<string, string> = {
  '0100': 'Error de esquema XML',
  '1508': 'Tiempo excesivo en operación de contingencia',
  '1513': 'Número de documento fiscal duplicado',
  '1601': 'RUC del receptor inválido',
  '1602': 'RUC del receptor no inscrito',
  '2007': 'Ítem sin código CPBS',
  '2152': 'Valor del ITBMS del ítem incorrecto',
};

const rejectionMessage = (code: string) => REJECTION_MESSAGES[code] ?? `Rechazo DGI ${code}`;

function makePacSigningKey(): SigningKey {
  return makeSelfSignedCertificate({
    subject: [
      { shortName: 'C', value: 'PA' },
      { shortName: 'O', value: 'PAC SIMULADOR FEPA' },
      { shortName: 'CN', value: 'PAC SIMULADOR (NO VALIDO ANTE LA DGI)' },
    ],
    days: 3650,
  });
}
