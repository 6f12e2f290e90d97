// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Packages a layer may not load: tfjs, the grid and its engine, charts, mathjs, exceljs, Node. */
const TFJS = '@tensorflow/*';
const GRID = ['handsontable*', 'hyperformula'];
const CHARTS = 'chart.js*';
const MATHJS = 'mathjs*';
const EXCELJS = 'exceljs';
const NODE = 'node:*';

/**
 * Paths inside src/ a layer may not import, as regexes of the relative import (`/` written
 * `\x2F`). Outside src/training its code is reached through its three entry points: `index.ts`
 * (facts and types, no tfjs), `trainer.ts` (the trainer, tfjs) and `node/index.ts` (Node only).
 */
const TRAINING_INSIDE =
  '^(\\.\\.\\x2F)+training\\x2F(?!index\\.ts$|trainer\\.ts$|node\\x2Findex\\.ts$)';
const TRAINER = '^(\\.\\.\\x2F)+training\\x2F(trainer\\.ts|node\\x2F)';

/**
 * The layers of src/ (README, "How it is built"): which src folders and packages each may not
 * import. A folder is matched by a relative path of any depth (`../sheet/x.ts`,
 * `../../sheet/index.ts`). In a flat config the last block that sets a rule for a file wins, so a
 * nested layer (kernels, the Train tab's settings) lists its parent's limits as well as its own.
 */
const LAYERS = {
  core: {
    folders: ['optimizers', 'sheet', 'training', 'settings', 'app', 'cli'],
    packages: [TFJS, ...GRID, CHARTS, MATHJS, EXCELJS, NODE],
  },
  optimizers: {
    folders: ['core', 'sheet', 'training', 'settings', 'app', 'cli'],
    packages: [TFJS, ...GRID, CHARTS, MATHJS, EXCELJS, NODE],
  },
  sheet: { folders: ['training', 'app', 'cli'], packages: [TFJS, 'handsontable*', CHARTS] },
  training: { folders: ['sheet', 'settings', 'app', 'cli'], packages: [...GRID, CHARTS, MATHJS] },
  kernels: { folders: ['models'], packages: [] },
  // The settings tables: read by the Train page's own script and by the CLI's --help, both of
  // which must start without tfjs or the sheet engine.
  settings: {
    folders: ['app', 'cli'],
    packages: [TFJS, ...GRID, CHARTS, MATHJS, EXCELJS, NODE],
    paths: [TRAINING_INSIDE, TRAINER],
  },
  app: { folders: ['cli'], packages: [], paths: [TRAINING_INSIDE] },
  cli: { folders: [], packages: [], paths: [TRAINING_INSIDE] },
  // A page's own script: the Train tab trains in its worker (worker.ts and the modules only it
  // loads), so the page starts without TensorFlow.js (tests/app/page-imports.test.ts checks the
  // whole import graph, through src/training too).
  page: { folders: [], packages: [TFJS], paths: [TRAINER] },
};

/** The Train tab's worker and the modules only it loads: where TensorFlow.js runs in a page. */
const TRAIN_WORKER = [
  'worker.ts',
  'grad-workers.ts',
  'grad-worker.ts',
  'backends.ts',
  'idb-store.ts',
].map((f) => `src/app/train/${f}`);

/**
 * A package pattern (`@tensorflow/*`, `hyperformula`) as a regex source, `/` written `\x2F`: a
 * selector's regex may not hold a slash.
 */
const packageRegex = (p) =>
  `^${p
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\//g, '\\x2F')}$`;

/**
 * `no-restricted-imports` for the static imports and exports; `no-restricted-syntax` for
 * `import('…')`, which the first rule does not see.
 */
const boundary = (name, ...layers) => {
  const folders = layers.flatMap((l) => l.folders);
  const packages = [...new Set(layers.flatMap((l) => l.packages))];
  const message = `src/${name} may not import this (the layers are in the README, "How it is built").`;
  const folderRegex = `^(\\.\\.\\x2F)+(${folders.join('|') || '(?!)'})(\\x2F|$)`;
  const paths = [...new Set(layers.flatMap((l) => l.paths ?? []))];
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: folderRegex, message },
          ...paths.map((regex) => ({ regex, message })),
          ...packages.map((p) => ({ group: [p], message })),
        ],
      },
    ],
    'no-restricted-syntax': [
      'error',
      ...[folderRegex, ...paths, ...packages.map(packageRegex)].map((r) => ({
        selector: `ImportExpression[source.value=/${r}/]`,
        message,
      })),
    ],
  };
};

/** Pure code reads no page: a rule or a shared fact that touched the DOM would not run in Node. */
const noDom = {
  'no-restricted-globals': [
    'error',
    ...['window', 'document', 'navigator', 'localStorage', 'location'].map((name) => ({
      name,
      message: 'pure code: no DOM here.',
    })),
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bin/', 'gpu-bundle/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  { files: ['src/core/**'], rules: { ...boundary('core', LAYERS.core), ...noDom } },
  {
    files: ['src/optimizers/**'],
    rules: { ...boundary('optimizers', LAYERS.optimizers), ...noDom },
  },
  { files: ['src/sheet/**'], rules: boundary('sheet', LAYERS.sheet) },
  { files: ['src/training/**'], rules: boundary('training', LAYERS.training) },
  {
    files: ['src/training/kernels/**'],
    rules: boundary('training/kernels', LAYERS.training, LAYERS.kernels),
  },
  { files: ['src/settings/**'], rules: boundary('settings', LAYERS.settings) },
  { files: ['src/cli/**'], rules: boundary('cli', LAYERS.cli) },
  { files: ['src/app/**'], rules: boundary('app (a page’s own script)', LAYERS.app, LAYERS.page) },
  { files: TRAIN_WORKER, rules: boundary('app/train (the worker)', LAYERS.app) },
  {
    files: ['src/app/train/settings.ts', 'src/app/train/link.ts'],
    rules: boundary('app/train (the settings form and link)', LAYERS.app, LAYERS.settings),
  },
  { files: ['eslint.config.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
