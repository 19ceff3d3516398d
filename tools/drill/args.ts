// `npm run drill -- …` arguments.
export type DrillCommand =
  | { readonly command: 'list' }
  | { readonly command: 'cleanup' }
  | {
      readonly command: 'run';
      readonly alert: string;
      readonly json: boolean;
      readonly factor?: number;
      readonly timeoutMs?: number;
    }
  | { readonly command: 'usage'; readonly error?: string };

export const USAGE = `usage: npm run drill -- <alert> [--json] [--factor N] [--timeout SECONDS]
       npm run drill -- --list       the drillable alerts and what each drill injects
       npm run drill -- --cleanup    undo what a drill that died left behind
Run it holding the stack lock: flock /tmp/orderflow-stack.lock npm run drill -- <alert>`;

export function parseArgs(argv: readonly string[]): DrillCommand {
  const positional: string[] = [];
  let json = false;
  let factor: number | undefined;
  let timeoutMs: number | undefined;
  let list = false;
  let cleanup = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string | undefined => argv[++i];
    if (arg === '--list') list = true;
    else if (arg === '--cleanup') cleanup = true;
    else if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') return { command: 'usage' };
    else if (arg === '--factor' || arg === '--timeout') {
      const n = Number(value());
      if (!Number.isFinite(n) || n <= 0) return { command: 'usage', error: `${arg} needs a positive number` };
      if (arg === '--factor') factor = n;
      else timeoutMs = n * 1000;
    } else if (arg.startsWith('-')) return { command: 'usage', error: `unknown option ${arg}` };
    else positional.push(arg);
  }
  if (list) return { command: 'list' };
  if (cleanup) return { command: 'cleanup' };
  if (positional.length !== 1)
    return { command: 'usage', error: positional.length === 0 ? 'which alert?' : 'one alert at a time' };
  return {
    command: 'run',
    alert: positional[0]!,
    json,
    ...(factor !== undefined ? { factor } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}
