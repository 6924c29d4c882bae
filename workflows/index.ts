// Every workflow type the worker registers.
export { roundtripWorkflow } from './roundtrip-workflow.js';
