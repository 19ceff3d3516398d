import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { STACK_TRACES_OFF_BANNER, workflowStackTracesHook } from './workflow-stack-traces.ts';

const workflowsPath = join(import.meta.dirname, '..', 'index.ts');
const logger = new DefaultLogger('WARN');

describe('workflowStackTracesHook', () => {
  it('when stack traces are on, then the bundle is left as the SDK makes it', async () => {
    expect(workflowStackTracesHook(true)).toBeUndefined();
    const { code } = await bundleWorkflowCode({ workflowsPath, logger });
    expect(code).not.toContain(STACK_TRACES_OFF_BANNER);
  }, 60_000);

  it('when they are off, then the bundle sets the sandbox stack trace limit to 0 before any module runs', async () => {
    const hook = workflowStackTracesHook(false);
    expect(hook).toBeDefined();
    const { code } = await bundleWorkflowCode({ workflowsPath, logger, webpackConfigHook: hook! });
    expect(code.startsWith(STACK_TRACES_OFF_BANNER)).toBe(true);
    // What the banner does in a fresh context, as in the workflow sandbox: errors carry no frames.
    const stack = runInNewContext(`${STACK_TRACES_OFF_BANNER} new Error('boom').stack`) as string;
    expect(stack).toBe('Error: boom');
  }, 60_000);
});
