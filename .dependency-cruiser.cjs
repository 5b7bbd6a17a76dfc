// The floor plan of src/, checked by dependency-cruiser in `npm test`
// (test/architecture/layers.test.ts). Arrows run one way, from top to bottom:
//
//   app         src/app: wiring only (server, HTTP app, CLI, job registry)
//   console     src/console: the pages people use, an edge over the
//               features as each feature's routes.ts is (so, like app, it
//               may use any module of a feature, not only its index.ts)
//   features    src/<feature>, and the routes.ts / commands.ts of rules,
//               ledger and audit (the edge a person reaches them through)
//   shared      src/shared: helpers every feature uses (route, problem,
//               query, CLI output, report tables, job progress)
//   core        src/rules, src/ledger, src/audit: the rule engine, the
//               books and the audit log
//   foundation  src/money, src/db, src/access and the files at src/ root
//               (dates, ids, errors, config, clock, log, hash)
//
// Features are ranked: one may use a lower-ranked one, never a higher, and
// only through that feature's index.ts (its named interface). See
// docs/architecture.md.

const features = ['jobs', 'auth', 'notices', 'registry', 'premiums', 'claims', 'savings', 'lpa', 'loans', 'reserves', 'reports', 'impact'];
const edge = '(rules|ledger|audit)/(routes|commands)\\.ts$';

const layers = [
  { name: 'foundation', path: '^src/((money|db|access)/|[^/]+\\.ts$)' },
  { name: 'core', path: '^src/(rules|ledger|audit)/', pathNot: `^src/${edge}` },
  { name: 'shared', path: '^src/shared/' },
  { name: 'features', path: [`^src/(${features.join('|')})/`, `^src/${edge}`] },
  { name: 'console', path: '^src/console/' },
  { name: 'app', path: '^src/app/' },
];

const layerRules = layers.flatMap((layer, index) =>
  layers.slice(index + 1).map((above) => ({
    name: `${layer.name}-not-to-${above.name}`,
    comment: `${layer.name} sits below ${above.name}: it must not import from it`,
    severity: 'error',
    from: { path: layer.path, ...(layer.pathNot === undefined ? {} : { pathNot: layer.pathNot }) },
    to: { path: above.path, ...(above.pathNot === undefined ? {} : { pathNot: above.pathNot }) },
  })),
);

const featureRules = features.flatMap((feature, rank) => [
  {
    name: `${feature}-not-to-higher-features`,
    comment: `features are ranked ${features.join(' < ')}: ${feature} may not use one ranked above it`,
    severity: 'error',
    from: { path: `^src/${feature}/` },
    to: { path: `^src/(${features.slice(rank + 1).join('|') || '-'})/` },
  },
  {
    name: `${feature}-only-through-its-index`,
    comment: `other features use ${feature} only through src/${feature}/index.ts`,
    severity: 'error',
    from: { path: '^src/', pathNot: `^src/(${feature}|console|app)/` },
    to: { path: `^src/${feature}/`, pathNot: `^src/${feature}/index\\.ts$` },
  },
]);

// dependency-cruiser hands swc its TypeScript syntax without JSX and has no
// setting for it, so the console's .tsx pages would not parse: they are
// parsed with swc's tsx flag, every other file as before.
const swc = require('@swc/core');
const parseFileSync = swc.parseFileSync;
swc.parseFileSync = (path, options) => parseFileSync(path, path.endsWith('.tsx') ? { ...options, tsx: true } : options);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycle between files (and with the layers above, none between folders)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...[
      ['ledger', 'rules'],
      ['rules', 'ledger'],
    ].map(([from, to]) => ({
      name: `${from}-not-to-${to}`,
      comment: 'the books know no policy and the rule engine keeps no books',
      severity: 'error',
      from: { path: `^src/${from}/`, pathNot: `^src/${edge}` },
      to: { path: `^src/${to}/`, pathNot: `^src/${edge}` },
    })),
    ...layerRules,
    ...featureRules,
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with;
    // swc parses TypeScript, and type-only imports count as arrows too.
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test|scripts|migrations)/' },
  },
};
