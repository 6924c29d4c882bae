import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentPhase, DocumentState, DocumentStatus } from '../../../common/document-lifecycle.js';
import { DEFAULT_TIMINGS, type ActionKind, type DocumentTimings } from '../../../common/document-messages.js';
import type { PacOutcome } from '../../../common/pac-outcome.js';
import type { DocumentContext, Pending } from '../../../workflows/document/context.js';
import { refusal } from '../../../workflows/document/operator-actions.js';
import { createPhases } from '../../../workflows/document/phases.js';

/**
 * Every phase of the document workflow as a plain function of its state machine (issue #25): a fake context
 * (scripted PAC answers, waits that return at once, recorded moves), no Temporal, milliseconds each. The paths
 * through Temporal itself (continue-as-new, Updates, child workflows) are the integration tests' job.
 */
const answer = (status: PacOutcome['status'], extra: Partial<PacOutcome> = {}): PacOutcome => ({
  status,
  dgiIssues: [],
  ...extra,
});

function world(options: {
  status?: DocumentStatus;
  state?: Partial<DocumentState>;
  submits?: PacOutcome[];
  queries?: PacOutcome[];
  annuls?: PacOutcome[];
  pending?: Pending;
  timings?: Partial<DocumentTimings>;
  /** What `until` answers when it would wait (the condition is checked first, as Temporal does). */
  waitsTimeOut?: boolean;
  contingencyEnded?: boolean;
  reissued?: boolean;
  autoSubmit?: boolean;
}) {
  const state: DocumentState = {
    documentId: 'doc-1',
    status: options.status ?? 'signed',
    submissions: 0,
    polls: 0,
    reconciliations: 0,
    dgiIssues: [],
    corrections: [],
    actions: [],
    history: [],
    signedByFepa: true,
    certificateFingerprint: 'ab',
    ...options.state,
  };
  const submits = [...(options.submits ?? [])];
  const queries = [...(options.queries ?? [])];
  const annuls = [...(options.annuls ?? [])];
  const slept: number[] = [];
  const moves: Array<{ status: DocumentStatus; actor: string; note?: string | undefined }> = [];
  const effects: string[] = [];
  const next = <T>(list: T[], what: string): T => {
    const value = list.shift();
    assert.ok(value, `no scripted ${what} left`);
    return value;
  };
  const ctx = {
    input: { documentId: 'doc-1', companyId: 'c-1', environment: '2' },
    t: { ...DEFAULT_TIMINGS, ...options.timings },
    state,
    inbox: options.pending ? { pending: options.pending } : {},
    run: { polls: 0 },
    local: {
      prepareDocument: () => Promise.resolve({ cufe: 'FE01…', total: '10.00' }),
      pacSignatureMode: () => Promise.resolve({ fepaSigns: true, autoSubmit: options.autoSubmit ?? true }),
      signDocument: () => Promise.resolve({ certificateFingerprint: 'ab' }),
      contingencyHasEnded: () => Promise.resolve({ ended: options.contingencyEnded ?? false }),
      reissueQueuedInContingency: () => Promise.resolve({ reissued: options.reissued ?? false }),
    },
    pac: {
      submitToPac: () => Promise.resolve(next(submits, 'submission answer')),
      annulAtPac: () => Promise.resolve(next(annuls, 'annulment answer')),
    },
    pacQuery: { queryPacStatus: () => Promise.resolve(next(queries, 'query answer')) },
    waits: {
      sleep: (ms: number) => {
        slept.push(ms);
        return Promise.resolve();
      },
      until: (done: () => boolean) => Promise.resolve(done() || !(options.waitsTimeOut ?? true)),
      warn: () => {},
    },
  } as unknown as DocumentContext;
  const tr = {
    moveTo: (status: DocumentStatus, actor = 'fepa', note?: string) => {
      state.status = status;
      if (status !== 'needs_support' && status !== 'rejected') delete state.needsPerson;
      moves.push({ status, actor, note });
      return Promise.resolve();
    },
    needPerson: async (status: 'needs_support' | 'rejected', reason: string, code?: string) => {
      state.needsPerson = { reason, ...(code ? { code } : {}) };
      await tr.moveTo(status, 'fepa', reason);
    },
    flagPerson: (reason: string, code: string) => {
      state.needsPerson = { reason, code };
    },
    clearPersonFlag: (code: string) => {
      if (state.needsPerson?.code === code) delete state.needsPerson;
    },
    remember: (o: PacOutcome) => {
      state.lastPac = { status: o.status };
      if (o.protocol) state.protocol = o.protocol;
    },
    startCafeDelivery: () => {
      effects.push('cafe-delivery');
      state.cafeDelivery = { workflowId: 'cafe' };
      return Promise.resolve();
    },
    openContingency: () => {
      effects.push('contingency-opened');
      return Promise.resolve();
    },
    markContingency: () => effects.push('contingency-marked'),
    showDetails: () => {},
  };
  const phases = createPhases(ctx, tr);
  return { ctx, state, phases, moves, slept, effects, statuses: () => moves.map((m) => m.status) };
}

const pending = (kind: ActionKind, extra: Partial<Pending['action']> = {}): Pending => ({
  kind,
  action: { actor: 'ana', ...extra },
});

describe('the document workflow phases, as plain functions', () => {
  describe('build', () => {
    it('builds, signs and goes to submit', async () => {
      const w = world({ status: 'received' });
      assert.equal(await w.phases.build(), 'submit');
      assert.deepEqual(w.statuses(), ['prepared', 'signed']);
    });
    it('holds a document issued in contingency, marked for the UI', async () => {
      const w = world({ status: 'received' });
      w.ctx.local.prepareDocument = () =>
        Promise.resolve({ cufe: 'FE', total: '1', contingencyId: 'k-1' }) as never;
      assert.equal(await w.phases.build(), 'hold');
      assert.equal(w.state.status, 'issued_in_contingency');
      assert.deepEqual(w.effects, ['contingency-marked']);
    });
    it('waits for a person when automatic submission is off', async () => {
      const w = world({ status: 'received', autoSubmit: false });
      assert.equal(await w.phases.build(), 'person');
      assert.equal(w.state.status, 'awaiting_submission');
    });
  });

  describe('submit', () => {
    it('authorized: the annulment window starts, the CAFE goes by e-mail when asked', async () => {
      const w = world({ submits: [answer('authorized', { protocol: '1' })], state: { cafeByEmail: true } });
      assert.equal(await w.phases.submit(), 'annul-window');
      assert.equal(w.state.status, 'authorized');
      assert.ok(w.state.annulWindowEndsAt);
      assert.deepEqual(w.effects, ['cafe-delivery']);
      assert.equal(w.state.retry, undefined);
    });
    it('pending: submitted, then asked after a wait', async () => {
      const w = world({ submits: [answer('pending')] });
      assert.equal(await w.phases.submit(), 'ask');
      assert.equal(w.state.status, 'submitted');
      assert.equal(w.state.asking?.purpose, 'pending');
      assert.equal(w.state.asking?.waitNext, true);
    });
    it('an unknown outcome is reconciled by asking at once, never resent', async () => {
      const w = world({ submits: [answer('unknown')] });
      assert.equal(await w.phases.submit(), 'ask');
      assert.equal(w.state.asking?.purpose, 'unknown');
      assert.equal(w.state.asking?.waitNext, false);
      assert.equal(w.state.reconciliations, 1);
    });
    it('a duplicate is reconciled by asking', async () => {
      const w = world({ submits: [answer('duplicate')] });
      assert.equal(await w.phases.submit(), 'ask');
      assert.equal(w.state.asking?.purpose, 'duplicate');
    });
    it('rejected: a person corrects; support: a person helps', async () => {
      const rejected = world({ submits: [answer('rejected-correctable', { pacCode: '1601' })] });
      assert.equal(await rejected.phases.submit(), 'person');
      assert.equal(rejected.state.status, 'rejected');
      const support = world({
        submits: [answer('error-needs-support', { pacCode: 'PAC_ADDRESS_NOT_ALLOWED' })],
      });
      assert.equal(await support.phases.submit(), 'person');
      assert.equal(support.state.needsPerson?.code, 'PAC_ADDRESS_NOT_ALLOWED');
    });
    it('not sent: queued offline, retried with a doubling delay', async () => {
      const w = world({
        submits: [answer('transient', { notSent: true }), answer('transient', { notSent: true })],
      });
      assert.equal(await w.phases.submit(), 'submit');
      assert.equal(w.state.status, 'queued_offline');
      assert.equal(w.state.retry?.offlineDelayMs, DEFAULT_TIMINGS.offlineRetryInitialMs * 2);
      assert.equal(await w.phases.submit(), 'submit');
      assert.equal(w.state.retry?.offlineDelayMs, DEFAULT_TIMINGS.offlineRetryInitialMs * 4);
      assert.deepEqual(w.statuses(), ['queued_offline'], 'queued once');
    });
    it('a cancel accepted while queued offline stops the retries: the person phase takes it', async () => {
      const w = world({ submits: [answer('transient', { notSent: true })], pending: pending('cancel') });
      assert.equal(await w.phases.submit(), 'person');
      assert.equal(w.state.retry, undefined);
    });
    it('queued offline in an open contingency: re-issued in it (company setting)', async () => {
      const w = world({ submits: [answer('transient', { notSent: true })], reissued: true });
      assert.equal(await w.phases.submit(), 'build');
      assert.deepEqual(w.statuses(), ['queued_offline', 'received']);
    });
    it('refused credentials: retried, then support', async () => {
      const w = world({ submits: Array.from({ length: 4 }, () => answer('auth-failed')) });
      for (let i = 0; i < DEFAULT_TIMINGS.authRetries; i++) assert.equal(await w.phases.submit(), 'submit');
      assert.equal(await w.phases.submit(), 'person');
      assert.equal(w.state.needsPerson?.code, 'AUTH_FAILED');
    });
    it('a contingency is opened when the answer advises it', async () => {
      const w = world({
        submits: [
          answer('transient', { notSent: true, contingencyAdvised: { since: 'x', evidence: {} as never } }),
        ],
      });
      await w.phases.submit();
      assert.deepEqual(w.effects, ['contingency-opened']);
    });
  });

  describe('ask', () => {
    const asking = (purpose: NonNullable<DocumentState['asking']>['purpose'], extra = {}) => ({
      asking: {
        purpose,
        since: new Date().toISOString(),
        delayMs: 100,
        authFailures: 0,
        waitNext: true,
        ...extra,
      },
      polling: true,
    });
    it('no verdict: asks again later with a doubled delay', async () => {
      const w = world({ state: asking('pending'), queries: [answer('transient')] });
      assert.equal(await w.phases.ask(), 'ask');
      assert.equal(w.state.asking?.delayMs, 200);
      assert.equal(w.slept.length, 1);
    });
    it('pending then authorized', async () => {
      const w = world({ status: 'submitted', state: asking('pending'), queries: [answer('authorized')] });
      assert.equal(await w.phases.ask(), 'annul-window');
      assert.equal(w.state.asking, undefined);
      assert.equal(w.state.polling, false);
    });
    it('an unknown outcome and "not found": confirmed after a wait before resending', async () => {
      const w = world({
        state: asking('unknown', { waitNext: false }),
        queries: [answer('not-found'), answer('not-found')],
      });
      assert.equal(await w.phases.ask(), 'ask');
      assert.equal(w.state.asking?.confirming, true);
      assert.equal(await w.phases.ask(), 'submit');
      assert.deepEqual(w.slept, [DEFAULT_TIMINGS.notFoundSettleMs]);
    });
    it('an unknown outcome the PAC holds as authorized is adopted, never resent', async () => {
      const w = world({ state: asking('unknown'), queries: [answer('authorized')] });
      assert.equal(await w.phases.ask(), 'annul-window');
    });
    it('a duplicate the PAC does not hold under this CUFE: support', async () => {
      const w = world({ state: asking('duplicate'), queries: [answer('not-found')] });
      assert.equal(await w.phases.ask(), 'person');
      assert.equal(w.state.needsPerson?.code, 'DUPLICATE');
    });
    it('past the deadline: support is shown the document, fepa keeps asking', async () => {
      const old = new Date(Date.now() - DEFAULT_TIMINGS.verdictDeadlineMs - 1000).toISOString();
      const w = world({
        status: 'submitted',
        state: asking('unknown', { since: old }),
        queries: [answer('transient')],
      });
      assert.equal(await w.phases.ask(), 'ask');
      assert.equal(w.state.status, 'needs_support');
      assert.equal(w.state.needsPerson?.code, 'UNKNOWN_OUTCOME');
    });
    it('a cancel: done when the PAC holds nothing valid, refused when it holds the document', async () => {
      const free = world({
        status: 'needs_support',
        state: asking('cancel', { action: { actor: 'ana' } }),
        queries: [answer('not-found')],
      });
      assert.equal(await free.phases.ask(), 'done');
      assert.equal(free.state.status, 'cancelled');
      const held = world({
        status: 'needs_support',
        state: asking('cancel', { action: { actor: 'ana' } }),
        queries: [answer('authorized')],
      });
      assert.equal(await held.phases.ask(), 'annul-window');
      assert.equal(held.state.status, 'authorized');
      assert.equal(held.state.actions.at(-1)?.accepted, false);
    });
    it('an annulment whose outcome was unknown: annulled, or refused and the window goes on', async () => {
      const done = world({
        status: 'authorized',
        state: asking('annulment', { action: { actor: 'ana' } }),
        queries: [answer('annulled')],
      });
      assert.equal(await done.phases.ask(), 'done');
      assert.equal(done.state.status, 'annulled');
      const not = world({
        status: 'authorized',
        state: asking('annulment', { action: { actor: 'ana' } }),
        queries: [answer('authorized')],
      });
      assert.equal(await not.phases.ask(), 'annul-window');
      assert.equal(not.state.status, 'authorized');
    });
  });

  describe('person: every operator action', () => {
    const cases: Array<[ActionKind, Partial<DocumentState>, DocumentPhase, DocumentStatus]> = [
      ['submit', { status: 'awaiting_submission' }, 'submit', 'signed'],
      ['resubmit', { status: 'needs_support' }, 'submit', 'signed'],
      [
        'resubmit',
        { status: 'needs_support', certificateFingerprint: undefined as never },
        'build',
        'received',
      ],
      ['correct', { status: 'rejected' }, 'build', 'received'],
      ['cancel', { status: 'rejected', submissions: 0 }, 'done', 'cancelled'],
      ['cancel', { status: 'rejected', submissions: 1 }, 'ask', 'rejected'],
    ];
    for (const [kind, state, phase, status] of cases)
      it(`${kind} in ${state.status}${state.submissions ? ' (sent before)' : ''} → ${phase}`, async () => {
        const w = world({ status: state.status!, state, pending: pending(kind, { correctionId: 'k' }) });
        assert.equal(await w.phases.person(), phase);
        assert.equal(w.state.status, status);
        if (kind === 'correct') assert.deepEqual(w.state.corrections, ['k']);
      });
  });

  describe('annul-window', () => {
    const open = { annulWindowEndsAt: new Date(Date.now() + 60_000).toISOString() };
    it('closes when the window ends without an annulment', async () => {
      const w = world({ status: 'authorized', state: open, waitsTimeOut: true });
      assert.equal(await w.phases.annulWindow(), 'done');
    });
    it('annulled by the PAC', async () => {
      const w = world({
        status: 'authorized',
        state: open,
        pending: pending('annul'),
        annuls: [answer('annulled')],
      });
      assert.equal(await w.phases.annulWindow(), 'done');
      assert.equal(w.state.status, 'annulled');
    });
    it("an annulment's unknown outcome is asked about; a refusal is recorded", async () => {
      const unknown = world({
        status: 'authorized',
        state: open,
        pending: pending('annul'),
        annuls: [answer('unknown')],
      });
      assert.equal(await unknown.phases.annulWindow(), 'ask');
      assert.equal(unknown.state.asking?.purpose, 'annulment');
      const refused = world({
        status: 'authorized',
        state: open,
        pending: pending('annul'),
        annuls: [answer('rejected-correctable')],
      });
      assert.equal(await refused.phases.annulWindow(), 'annul-window');
      assert.match(refused.state.actions.at(-1)?.note ?? '', /did not annul/);
    });
    for (const kind of ['submit', 'resubmit', 'correct', 'cancel'] as const)
      it(`${kind} taken in the window is refused, never read as an annulment`, async () => {
        const w = world({ status: 'authorized', state: open, pending: pending(kind) });
        assert.equal(await w.phases.annulWindow(), 'annul-window');
        assert.equal(w.state.status, 'authorized');
        assert.equal(w.state.actions.at(-1)?.accepted, false);
      });
  });

  describe('hold', () => {
    it('transmits once the contingency has ended, else waits again', async () => {
      const ended = world({
        status: 'issued_in_contingency',
        state: { contingency: { id: 'k' } },
        contingencyEnded: true,
      });
      assert.equal(await ended.phases.hold(), 'submit');
      const open = world({ status: 'issued_in_contingency', state: { contingency: { id: 'k' } } });
      assert.equal(await open.phases.hold(), 'hold');
      assert.equal(open.ctx.run.polls, 1);
    });
  });

  describe('which action each state takes (the validators)', () => {
    const allowed: Record<ActionKind, DocumentStatus[]> = {
      submit: ['awaiting_submission'],
      correct: ['rejected'],
      resubmit: ['needs_support'],
      annul: ['authorized'],
      cancel: ['awaiting_submission', 'queued_offline', 'rejected', 'needs_support'],
    };
    const statuses: DocumentStatus[] = [
      'received',
      'prepared',
      'signed',
      'awaiting_submission',
      'queued_offline',
      'issued_in_contingency',
      'submitted',
      'authorized',
      'rejected',
      'needs_support',
      'annulled',
      'cancelled',
    ];
    it('every action in every state: accepted exactly where it applies, and never while the PAC is asked', () => {
      for (const kind of Object.keys(allowed) as ActionKind[])
        for (const status of statuses)
          for (const polling of [false, true]) {
            const w = world({ status, state: { polling } });
            const why = refusal(w.ctx, kind, {
              actor: 'ana',
              reason: 'una razón suficientemente larga',
              correctionId: 'k',
            });
            const expected =
              allowed[kind].includes(status) &&
              !(polling && ['resubmit', 'cancel', 'correct'].includes(kind));
            assert.equal(
              why === undefined,
              expected,
              `${kind} in ${status}${polling ? ' while asking' : ''}: ${why}`,
            );
          }
    });
  });
});
