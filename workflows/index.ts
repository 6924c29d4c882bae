// Every workflow type the worker registers.
export { roundtripWorkflow } from './roundtrip-workflow.js';
export { documentWorkflow } from './document-workflow.js';
export { certificateExpiryWatchWorkflow } from './certificate-expiry-watch-workflow.js';
export { webhookDeliveryWorkflow } from './webhook-delivery-workflow.js';
export { cafeDeliveryWorkflow } from './cafe-delivery-workflow.js';
export { contingencyWorkflow } from './contingency-workflow.js';
export { folioWatchWorkflow, rucLookupWorkflow } from './pac-account-workflows.js';
export { receivedDocumentWorkflow } from './received-document-workflow.js';
export { mailboxReadWorkflow } from './mailbox-read-workflow.js';
export { pacInboxWorkflow } from './pac-inbox-workflow.js';
