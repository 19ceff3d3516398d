// The load profiles of `npm run load` and their thresholds, in one place. Rates are orders per hour (k6's
// arrival-rate executors with timeUnit 1h, so every rate is an integer); an open model: the rate holds
// whatever the system does, and a run that could not hold it (dropped iterations) is invalid.

export type ProfileName = 'smoke' | 'normal' | 'peak' | 'target' | 'spike' | 'soak' | 'breakpoint';

export interface Thresholds {
  /** The ADR's objective: technical failures (not declines) below this share of the orders sent. */
  readonly technicalFailureRate: number;
  /** Our own, stricter bar: reported beside the ADR's, it does not fail the run. */
  readonly ownTechnicalFailureRate: number;
  /** p99 of POST /orders answered 202, in ms. */
  readonly acceptP99Ms: number;
  /** p99 from acceptance (store created_at) to the terminal status (updated_at), in ms; review orders excluded. */
  readonly acceptToTerminalP99Ms: number;
}

/** A stage of a ramping arrival rate: reach `rate` orders/h over `seconds`. */
export interface Stage {
  readonly seconds: number;
  readonly rate: number;
}

export interface Profile {
  readonly name: ProfileName;
  readonly description: string;
  /** Orders/h of a constant profile; the peak for a ramping one; the first step for breakpoint. */
  readonly rate: number;
  readonly seconds: number;
  /** A ramping profile's stages (spike); absent for a constant rate. */
  readonly stages?: readonly Stage[];
  /** breakpoint: each step holds `rate + i * stepRate` for `seconds`, judged on its own, up to `maxRate`. */
  readonly breakpoint?: { readonly stepRate: number; readonly maxRate: number; readonly maxSteps: number };
  readonly thresholds: Thresholds;
  /** How long after the last order the runner waits for every order to reach a terminal status. */
  readonly drainSeconds: number;
}

const ADR: Thresholds = {
  technicalFailureRate: 0.01,
  ownTechnicalFailureRate: 0.001,
  acceptP99Ms: 200,
  acceptToTerminalP99Ms: 2000,
};

export const profiles: Readonly<Record<ProfileName, Profile>> = {
  smoke: {
    name: 'smoke',
    description: 'a minute at a low rate: the tool and the stack work',
    rate: 600,
    seconds: 60,
    thresholds: ADR,
    drainSeconds: 60,
  },
  normal: {
    name: 'normal',
    description: 'an ordinary hour (2,400 orders/h)',
    rate: 2400,
    seconds: 300,
    thresholds: ADR,
    drainSeconds: 60,
  },
  peak: {
    name: 'peak',
    description: 'the busiest hour seen (8,000 orders/h)',
    rate: 8000,
    seconds: 300,
    thresholds: ADR,
    drainSeconds: 60,
  },
  target: {
    name: 'target',
    description: "ADR-0047's design target (15,000 orders/h)",
    rate: 15000,
    seconds: 240,
    thresholds: ADR,
    drainSeconds: 90,
  },
  spike: {
    name: 'spike',
    description: '2,400 → 15,000 → 2,400 orders/h: absorbs a burst and recovers',
    rate: 15000,
    seconds: 300,
    stages: [
      { seconds: 60, rate: 2400 },
      { seconds: 30, rate: 15000 },
      { seconds: 120, rate: 15000 },
      { seconds: 30, rate: 2400 },
      { seconds: 60, rate: 2400 },
    ],
    // A burst may queue for a moment: the end-to-end p99 gets a wider bar than a steady rate.
    thresholds: { ...ADR, acceptToTerminalP99Ms: 5000 },
    drainSeconds: 120,
  },
  soak: {
    name: 'soak',
    description: 'half an hour at the normal rate: leaks, backlogs, drift',
    rate: 2400,
    seconds: 1800,
    thresholds: ADR,
    drainSeconds: 90,
  },
  breakpoint: {
    name: 'breakpoint',
    description: 'steps of rising rate, each judged on its own, until one misses the SLO',
    // From a third of the ADR's target, so a machine that cannot hold 15,000/h still gets a number (a
    // breakpoint that fails its first step only says "below the first step").
    rate: 5000,
    seconds: 120,
    breakpoint: { stepRate: 2500, maxRate: 40000, maxSteps: 15 },
    thresholds: ADR,
    drainSeconds: 60,
  },
};

export const profileNames = Object.keys(profiles) as ProfileName[];

export const isProfileName = (s: string): s is ProfileName => (profileNames as string[]).includes(s);

/** `90s`, `5m`, `1h`, `1m30s` or plain seconds → seconds. */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m || text === '') throw new Error(`not a duration: ${text} (e.g. 90s, 5m, 1m30s)`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** `15000`, `15000/h`, `15k/h`, `4/s` → orders per hour (an integer). */
export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(k)?(?:\/(h|m|s))?$/.exec(text.trim());
  if (!m) throw new Error(`not a rate: ${text} (e.g. 15000/h, 15k/h, 4/s)`);
  const n = Number(m[1]) * (m[2] ? 1000 : 1);
  const perHour = n * ({ h: 1, m: 60, s: 3600 }[m[3] ?? 'h'] ?? 1);
  if (!Number.isFinite(perHour) || perHour < 1) throw new Error(`rate too low: ${text}`);
  return Math.round(perHour);
}

/** The profile with the user's overrides applied. A ramping profile's stages scale with --rate and --duration. */
export function resolveProfile(name: ProfileName, overrides: { rate?: number; seconds?: number }): Profile {
  const base = profiles[name];
  const rate = overrides.rate ?? base.rate;
  const seconds = overrides.seconds ?? base.seconds;
  if (!base.stages) return { ...base, rate, seconds };
  const rateScale = rate / base.rate;
  const timeScale = seconds / base.seconds;
  const stages = base.stages.map((s) => ({
    seconds: Math.max(1, Math.round(s.seconds * timeScale)),
    rate: Math.max(1, Math.round(s.rate * rateScale)),
  }));
  return { ...base, rate, seconds: stages.reduce((t, s) => t + s.seconds, 0), stages };
}

/** The rate of each breakpoint step. */
export function breakpointRates(p: Profile): number[] {
  const b = p.breakpoint;
  if (!b) return [p.rate];
  const rates: number[] = [];
  for (let r = p.rate; r <= b.maxRate && rates.length < b.maxSteps; r += b.stepRate) rates.push(r);
  return rates;
}
