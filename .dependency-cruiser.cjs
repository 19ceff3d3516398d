// The layering of orderflow (README "Layout"), checked by dependency-cruiser in `npm test` (npm run
// layers). Imports run one way: a layer uses only the layers below it. Lowest first:
//   platform → observability (the library) → contracts → components → entry points and tools → tests
// A test (test/ or *.test.ts) may import anything; nothing else may import a test.
const TEST = '(^test/|\\.test\\.ts$)';
// Entry points inside component folders: each process's main, the workers, the command-line scripts.
const ENTRY = '((^|/)main\\.ts$|^workflows/workers/|^consumers/replay-dead-letters\\.ts$)';

/** Lowest first. A file belongs to the first layer whose path matches and whose pathNot does not. */
const layers = [
  { name: 'platform', path: '^platform/' },
  { name: 'observability', path: '^observability/' },
  { name: 'contracts', path: '^contracts/' },
  { name: 'components', path: '^(workflows|services|consumers|events|order-store)/', pathNot: ENTRY },
  { name: 'entry points and tools', path: `^(stack|tools|alerts)/|${ENTRY}` },
];

const notTest = (pathNot) => (pathNot ? `${pathNot}|${TEST}` : TEST);

const upward = layers.flatMap((lower, i) =>
  layers.slice(i + 1).map((higher) => ({
    name: `${lower.name}-not-to-${higher.name}`.replaceAll(' ', '-'),
    comment: `${lower.name} sits below ${higher.name}: it must not import it.`,
    severity: 'error',
    from: { path: lower.path, pathNot: notTest(lower.pathNot) },
    to: { path: higher.path, ...(higher.pathNot ? { pathNot: notTest(higher.pathNot) } : { pathNot: TEST }) },
  })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'An import cycle: two modules that need each other are one module, or a third is missing.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'source-not-to-tests',
      comment: 'Test helpers live under test/support; source never imports the test tree.',
      severity: 'error',
      from: { pathNot: TEST },
      to: { path: TEST },
    },
    {
      name: 'everything-in-a-layer',
      comment: 'Every source file belongs to a layer (add its folder to .dependency-cruiser.cjs).',
      severity: 'error',
      from: {
        pathNot: `${TEST}|${layers.map((l) => l.path).join('|')}|^[^/]+\\.(c|m)?[jt]s$`,
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.orderflow)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
