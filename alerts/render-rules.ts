// Renders a time-compressed copy of the single rules source (alerts/rules/orderflow.rules.yml) for drills:
// with factor 60, one real second stands for one minute, so `[15m]` becomes `[15s]`, `for: 5m` becomes
// `for: 5s`, the burn-rate windows `[1h]`/`[5m]` become `[1m]`/`[5s]` and a group `interval: 1m` becomes `1s`.
//
// Only time windows change: range selectors and subqueries in `expr`, `offset`, `for`, `keep_firing_for` and
// group `interval`. Names, labels, annotations and every threshold stay as they are. Thresholds are in real
// units (ratios, seconds of age, messages, orders per hour), so they mean the same in the copy; an age such as
// "stuck for 600 s" is a threshold, not a window, and is not compressed either.
//
// The copy is a text transform, line by line, of a file that keeps the source's layout; no YAML is rewritten,
// so comments and ordering survive. It must never land in alerts/rules/: Prometheus loads every
// alerts/rules/*.rules.yml and would evaluate both the source and the copy.
//
// Scrape interval: a window needs several samples. The smallest window is 5m; at factor 60 it is 5s, which
// needs a 1s scrape interval. With the stack's 5s scrape interval, use a factor of 20 or less (5m -> 15s).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const rulesDir = join(import.meta.dirname, 'rules');
/** The single source of the alert and recording rules. */
export const rulesSource = join(rulesDir, 'orderflow.rules.yml');

export interface CompressOptions {
  /** How many times faster time runs in the copy (60: a minute becomes a second). */
  readonly factor: number;
  /**
   * The `interval:` of groups that have none (they would run at Prometheus' global evaluation interval).
   * A drill sets it so evaluation keeps up with the compressed `for:` durations, e.g. `1s`.
   */
  readonly evaluationInterval?: string;
  /** Defaults to alerts/rules/orderflow.rules.yml. */
  readonly source?: string;
}

const UNIT_MS = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
} as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
/** A Prometheus duration: one or more `<integer><unit>` parts, largest unit first (`90s`, `1h30m`). */
const DURATION = String.raw`(?:\d+(?:ms|[ywdhms]))+`;

/** Milliseconds of a Prometheus duration such as `15m`, `1d` or `1h30m`. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|[ywdhms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`not a Prometheus duration: "${text}"`);
  let ms = 0;
  let previous = -1;
  for (const [, amount, unit] of parts) {
    const order = UNIT_ORDER.indexOf(unit as Unit);
    if (order <= previous) throw new Error(`not a Prometheus duration (units out of order): "${text}"`);
    previous = order;
    ms += Number(amount) * UNIT_MS[unit as Unit];
  }
  return ms;
}

/** The shortest single-unit Prometheus duration for `ms` (`72m` rather than `1h12m`: every version reads it). */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`cannot write ${ms} ms as a Prometheus duration`);
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  throw new Error('unreachable: every integer is a whole number of milliseconds');
}

/** `duration` divided by `factor`, rounded to the millisecond (never below 1 ms unless it was 0). */
export function compressDuration(duration: string, factor: number): string {
  const ms = parseDuration(duration);
  if (ms === 0) return '0s';
  return formatDuration(Math.max(1, Math.round(ms / factor)));
}

/** Compresses the windows of a PromQL expression, leaving string literals (label values, regexes) alone. */
export function compressExpr(expr: string, factor: number): string {
  // Split into alternating [code, string literal, code, …]; PromQL strings are "…", '…' or `…`.
  const pieces = expr.split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/);
  const range = new RegExp(String.raw`\[(\s*)(${DURATION})(\s*)(?::(\s*)(${DURATION})?(\s*))?\]`, 'g');
  const offset = new RegExp(String.raw`\boffset(\s+)(-?)(${DURATION})\b`, 'g');
  return pieces
    .map((piece, i) => {
      if (i % 2 === 1) return piece; // a string literal
      return piece
        .replace(
          range,
          (_whole, s1: string, win: string, s2: string, s3?: string, step?: string, s4?: string) => {
            const head = `[${s1}${compressDuration(win, factor)}${s2}`;
            if (s3 === undefined) return `${head}]`;
            return `${head}:${s3}${step === undefined ? '' : compressDuration(step, factor)}${s4 ?? ''}]`;
          },
        )
        .replace(
          offset,
          (_whole, space: string, minus: string, d: string) =>
            `offset${space}${minus}${compressDuration(d, factor)}`,
        );
    })
    .join('');
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** The compressed text of a rules file (see the module comment for what changes). */
export function compressRulesText(text: string, options: Omit<CompressOptions, 'source'>): string {
  const { factor, evaluationInterval } = options;
  if (!Number.isFinite(factor) || factor < 1)
    throw new Error(`the time factor must be a number >= 1, not ${factor}`);
  if (evaluationInterval !== undefined) parseDuration(evaluationInterval);

  const lines = text.split('\n');
  const out: string[] = [];
  const durationKey = new RegExp(
    String.raw`^(\s*(?:-\s+)?(?:for|keep_firing_for|interval):\s*)(["']?)(${DURATION})\2(\s*(?:#.*)?)$`,
  );
  const exprKey = /^(\s*(?:-\s+)?expr:\s*)(.*)$/;
  const groupStart = /^(\s*)-\s+name:/;
  /** Indentation of the `expr:` key whose block scalar we are in, or -1. */
  let exprBlockIndent = -1;
  /** Where a group without an `interval:` gets one inserted: index in `out` after its `- name:` line. */
  let pendingGroup: { insertAt: number; indent: string } | undefined;
  const closeGroup = (): void => {
    if (pendingGroup && evaluationInterval !== undefined) {
      out.splice(pendingGroup.insertAt, 0, `${pendingGroup.indent}interval: ${evaluationInterval}`);
    }
    pendingGroup = undefined;
  };

  for (const line of lines) {
    if (exprBlockIndent >= 0) {
      if (line.trim() === '' || indentOf(line) > exprBlockIndent) {
        out.push(compressExpr(line, factor));
        continue;
      }
      exprBlockIndent = -1;
    }
    const group = groupStart.exec(line);
    if (group) {
      // Only groups have a `name` (rules are `- record:` or `- alert:` items).
      closeGroup();
      out.push(line);
      pendingGroup = { insertAt: out.length, indent: `${group[1] ?? ''}  ` };
      continue;
    }
    const duration = durationKey.exec(line);
    if (duration) {
      const [, head, quote, value, tail] = duration as unknown as [string, string, string, string, string];
      if (/^\s*(?:-\s+)?interval:/.test(line)) pendingGroup = undefined; // the group has its own interval
      out.push(`${head}${quote}${compressDuration(value, factor)}${quote}${tail}`);
      continue;
    }
    const expr = exprKey.exec(line);
    if (expr) {
      const [, head, rest] = expr as unknown as [string, string, string];
      if (/^[|>][+-]?\d*\s*(?:#.*)?$/.test(rest)) {
        exprBlockIndent = indentOf(line.replace(/^(\s*)-\s+/, '$1  '));
        out.push(line);
      } else {
        out.push(`${head}${compressExpr(rest, factor)}`);
      }
      continue;
    }
    out.push(line);
  }
  closeGroup();
  return out.join('\n');
}

/**
 * Renders the time-compressed copy of the rules source into `outPath` (created with its folder) and
 * returns `outPath`. Refuses to write into alerts/rules/, where Prometheus would load it beside the source.
 */
export function renderCompressedRules(outPath: string, options: CompressOptions): string {
  const source = resolve(options.source ?? rulesSource);
  const out = resolve(outPath);
  if (!relative(rulesDir, out).startsWith('..')) {
    throw new Error(
      `refusing to write ${out}: Prometheus loads alerts/rules/*.rules.yml, so the copy would run beside the source`,
    );
  }
  const header = [
    `# GENERATED by alerts/render-rules.ts from ${relative(dirname(dirname(rulesDir)), source)} (time factor ${options.factor}). Do not edit:`,
    '# windows, offsets, `for` and group intervals are divided by the factor; names, labels, annotations and',
    '# thresholds are the source’s.',
    '',
  ].join('\n');
  const text = compressRulesText(readFileSync(source, 'utf8'), options);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, header + text);
  return out;
}
