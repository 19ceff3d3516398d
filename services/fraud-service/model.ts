// The fraud model: a tiny deep-equilibrium network over hashed order features, read out by a logistic head.
// The equilibrium is found by fixed-point iteration, which is where the real CPU goes: the recurrent map is a
// contraction (every row of W sums to 0.5 in absolute value), so after ~40 iterations the state no longer
// changes at 3 decimals. More iterations therefore cost CPU without changing the score, which keeps scores
// deterministic per input whatever FRAUD_INFERENCE_ITERATIONS is, while the work still feeds the result and
// cannot be optimized away.

export const MODEL_VERSION = 'fraud-deq-2024.11.1';
/**
 * The CPU cost of one assessment: about 30 ms of scoring on the 2-core machine the project was built on,
 * about 85 ms on the one of README "Performance" (tools/load/machine-speed.ts measures it before every run).
 */
export const DEFAULT_INFERENCE_ITERATIONS = 7500;
/** Below this the fixed point is not reached and scores would depend on the iteration count. */
export const MIN_ITERATIONS = 40;

const HIDDEN = 64;
const INPUTS = 8;

export interface ScoringInput {
  readonly customerId: string;
  readonly amountCents: number;
  readonly itemCount: number;
  readonly country: string;
  readonly paymentMethod: string;
}

// Countries with a long, clean order history; everything else carries cross-border risk.
const lowRiskCountries = new Set([
  'US',
  'CA',
  'GB',
  'DE',
  'FR',
  'NL',
  'IE',
  'BE',
  'AT',
  'CH',
  'SE',
  'DK',
  'NO',
  'FI',
]);

/** FNV-1a, 32 bit: stable feature hashing without a vocabulary. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const unit = (text: string): number => fnv1a(text) / 0xffffffff;

function paymentMethodRisk(paymentMethod: string): number {
  // Stripe's Radar test payment methods carry their risk level in the name.
  if (paymentMethod.includes('riskLevelHighest')) return 1;
  if (paymentMethod.includes('riskLevelElevated')) return 0.6;
  if (paymentMethod.includes('prepaid')) return 0.3;
  return 0;
}

/** The model's input vector, each feature roughly in 0..1. */
export function features(input: ScoringInput): Float64Array {
  return Float64Array.from([
    Math.log10(input.amountCents / 100 + 1) / 4,
    Math.min(input.itemCount, 50) / 50,
    lowRiskCountries.has(input.country) ? 0 : 1,
    paymentMethodRisk(input.paymentMethod),
    unit(`customer:${input.customerId}`),
    unit(`country:${input.country}`) - 0.5,
    unit(`pm:${input.paymentMethod}`) - 0.5,
    1,
  ]);
}

// Logistic head over the raw features plus the network's readout.
const headWeights = [2.2, 1.4, 1.6, 3.4, 0.4, 0, 0, -4.2];
const readoutWeight = 0.5;

interface Weights {
  readonly recurrent: Float64Array;
  readonly input: Float64Array;
  readonly readout: Float64Array;
}

/** mulberry32: the "trained" weights are a fixed pseudo-random draw, identical in every process. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function initWeights(seed: number): Weights {
  const random = prng(seed);
  const recurrent = new Float64Array(HIDDEN * HIDDEN);
  for (let row = 0; row < HIDDEN; row++) {
    let sum = 0;
    for (let col = 0; col < HIDDEN; col++) {
      const w = random() * 2 - 1;
      recurrent[row * HIDDEN + col] = w;
      sum += Math.abs(w);
    }
    // Row sums of 0.5 make h -> tanh(W h + U x) a contraction with factor 0.5 (tanh is 1-Lipschitz).
    for (let col = 0; col < HIDDEN; col++) recurrent[row * HIDDEN + col]! *= 0.5 / sum;
  }
  const input = Float64Array.from({ length: HIDDEN * INPUTS }, () => random() * 2 - 1);
  const readout = Float64Array.from({ length: HIDDEN }, () => (random() * 2 - 1) / Math.sqrt(HIDDEN));
  return { recurrent, input, readout };
}

const weights = initWeights(0x0f1a7d);

/** The network's equilibrium state for `x`, by `iterations` rounds of fixed-point iteration. */
function equilibrium(x: Float64Array, iterations: number): Float64Array {
  const { recurrent, input } = weights;
  const drive = new Float64Array(HIDDEN);
  for (let row = 0; row < HIDDEN; row++) {
    let sum = 0;
    for (let col = 0; col < INPUTS; col++) sum += input[row * INPUTS + col]! * x[col]!;
    drive[row] = sum;
  }
  let h = new Float64Array(HIDDEN);
  let next = new Float64Array(HIDDEN);
  for (let it = 0; it < iterations; it++) {
    for (let row = 0; row < HIDDEN; row++) {
      let sum = drive[row]!;
      const offset = row * HIDDEN;
      for (let col = 0; col < HIDDEN; col++) sum += recurrent[offset + col]! * h[col]!;
      next[row] = Math.tanh(sum);
    }
    [h, next] = [next, h];
  }
  return h;
}

/** Fraud probability in 0..1, rounded to 3 decimals. Burns CPU in proportion to `iterations`. */
export function score(input: ScoringInput, iterations: number): number {
  const x = features(input);
  const h = equilibrium(x, Math.max(iterations, MIN_ITERATIONS));
  let readout = 0;
  for (let i = 0; i < HIDDEN; i++) readout += weights.readout[i]! * h[i]!;
  let logit = readoutWeight * Math.tanh(readout);
  for (let i = 0; i < INPUTS; i++) logit += headWeights[i]! * x[i]!;
  return Math.round(1000 / (1 + Math.exp(-logit))) / 1000;
}
