// The workflow bundle's entry point (Worker `workflowsPath`).
export { ProcessOrderWorkflow } from './order/workflow.ts';
