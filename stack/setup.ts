// `npm run setup`: installs every missing tool, printing one line per tool. On failure it names the tool
// and prints the tail of that tool's log; tools that are present are skipped.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../platform/paths.ts';
import { install, isInstalled, tools, type Tool } from './tools.ts';
import { tail } from './exec.ts';

export interface SetupResult {
  readonly ok: boolean;
  readonly failed: readonly string[];
}

const logDir = join(cacheDir, 'logs');
const logFor = (tool: Tool): string => join(logDir, `${tool.name}-${tool.version}.log`);

export function missingTools(only: readonly string[] = []): Tool[] {
  return Object.values(tools).filter(
    (tool) => !isInstalled(tool) && (only.length === 0 || only.includes(tool.name)),
  );
}

const toolNames = (): string[] => Object.values(tools).map((tool) => tool.name);

async function installOne(tool: Tool): Promise<boolean> {
  const started = Date.now();
  console.log(`[setup] ${tool.name} ${tool.version}: installing from ${tool.source}`);
  try {
    await install(tool, logFor(tool));
    console.log(
      `[setup] ${tool.name} ${tool.version}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return true;
  } catch (err) {
    console.error(`[setup] ${tool.name} ${tool.version}: FAILED: ${(err as Error).message}`);
    console.error(`[setup] last lines of ${logFor(tool)}:\n${tail(logFor(tool))}`);
    return false;
  }
}

/** Installs what is missing; `only` limits it to the named tools (`npm run setup -- kafka tempo`). */
export async function setup(only: readonly string[] = []): Promise<SetupResult> {
  const unknown = only.filter((name) => !toolNames().includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown tool ${unknown.join(', ')}; tools: ${toolNames().join(', ')}`);
  mkdirSync(logDir, { recursive: true });
  for (const tool of Object.values(tools)) {
    if (isInstalled(tool)) console.log(`[setup] ${tool.name} ${tool.version}: present in ${tool.dir}`);
  }
  const missing = missingTools(only);
  const started = Date.now();
  // Go builds are CPU-bound and share the go build cache, so they run one after another; downloads
  // (Maven, PyPI, Debian) run beside them.
  const lanes = Map.groupBy(missing, (tool) => tool.lane);
  const failed: string[] = [];
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const tool of lane) if (!(await installOne(tool))) failed.push(tool.name);
    }),
  );
  if (missing.length > 0) {
    console.log(
      `[setup] ${missing.length - failed.length}/${missing.length} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  return { ok: failed.length === 0, failed };
}
