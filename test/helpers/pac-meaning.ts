import { decide } from '../../workflows/document/decide.js';
import type { PacAnswer } from '../../common/pac-outcome.js';

/**
 * What an answer means for the document, as the workflow's decision table reads it (the only interpreter of
 * a PAC's answer): `authorized`, `poll`, `resubmit`, `reconcile-unknown`, `reconcile-duplicate`, `person`…
 */
export const meaning = (answer: PacAnswer, from: 'submit' | 'query' = 'submit') => decide(answer, from).next;
