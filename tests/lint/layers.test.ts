import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer boundaries of eslint.config.js, checked with the project's own config on probe files
 * placed inside src/ for the length of the test: each wrong import must be an error, and a
 * permitted one must lint clean (so a probe that fails for another reason cannot pass).
 */
const root = join(import.meta.dirname, '../..');
const tag = `layer-probe-${String(process.pid)}`;

interface Probe {
  readonly path: string;
  readonly code: string;
  /** The rule the probe must break, or null for an import the layers allow. */
  readonly rule: string | null;
}

const probes: Record<string, Probe> = {
  'optimizers import tfjs': {
    path: `src/optimizers/${tag}.ts`,
    code: `import * as tf from '@tensorflow/tfjs';\nexport const one = tf.scalar(1);\n`,
    rule: 'no-restricted-imports',
  },
  'optimizers import the sheet': {
    path: `src/optimizers/lang/${tag}.ts`,
    code: `import { MAX_ROWS } from '../../sheet/limits.ts';\nexport const rows = MAX_ROWS;\n`,
    rule: 'no-restricted-imports',
  },
  'optimizers read the DOM': {
    path: `src/optimizers/${tag}-dom.ts`,
    code: `export const title = (): string => document.title;\n`,
    rule: 'no-restricted-globals',
  },
  'a kernel imports a model': {
    path: `src/training/kernels/${tag}.ts`,
    code: `import { MODEL_NAMES } from '../models/names.ts';\nexport const names = MODEL_NAMES;\n`,
    rule: 'no-restricted-imports',
  },
  'a callback imports the sheet': {
    path: `src/training/learner/callbacks/${tag}.ts`,
    code: `import { InputError } from '../../../sheet/errors.ts';\nexport const E = InputError;\n`,
    rule: 'no-restricted-imports',
  },
  'the trainer loads the sheet later': {
    path: `src/training/${tag}.ts`,
    code: `export const later = (): Promise<unknown> => import('../sheet/xlsx.ts');\n`,
    rule: 'no-restricted-syntax',
  },
  'the sheet imports the Train tab': {
    path: `src/sheet/${tag}.ts`,
    code: `export type { TrainConfig } from '../app/train/protocol.ts';\n`,
    rule: 'no-restricted-imports',
  },
  'the Sheet tab imports the CLI': {
    path: `src/app/${tag}.ts`,
    code: `import { formatTable } from '../cli/table.ts';\nexport const f = formatTable;\n`,
    rule: 'no-restricted-imports',
  },
  'the Train page imports tfjs (its worker trains)': {
    path: `src/app/train/${tag}.ts`,
    code: `import * as tf from '@tensorflow/tfjs';\nexport const backend = (): string => tf.getBackend();\n`,
    rule: 'no-restricted-imports',
  },
  'the CLI reaches inside src/training': {
    path: `src/cli/${tag}.ts`,
    code: `import { trainRun } from '../training/run/run.ts';\nexport const run = trainRun;\n`,
    rule: 'no-restricted-imports',
  },
  'the Train page imports the trainer': {
    path: `src/app/train/${tag}-trainer.ts`,
    code: `import { trainRun } from '../../training/trainer.ts';\nexport const run = trainRun;\n`,
    rule: 'no-restricted-imports',
  },
  'the settings import the trainer': {
    path: `src/settings/${tag}-trainer.ts`,
    code: `import { trainRun } from '../training/trainer.ts';\nexport const run = trainRun;\n`,
    rule: 'no-restricted-imports',
  },
  'the CLI imports the trainer (allowed)': {
    path: `src/cli/${tag}-ok.ts`,
    code: `import { trainRun } from '../training/trainer.ts';\nexport const run = trainRun;\n`,
    rule: null,
  },
  'the Train page imports the facts (allowed)': {
    path: `src/app/train/${tag}-ok.ts`,
    code: `import { MODEL_NAMES } from '../../training/index.ts';\nexport const names = MODEL_NAMES;\n`,
    rule: null,
  },
  'the settings import the app': {
    path: `src/settings/${tag}.ts`,
    code: `import { byId } from '../app/dom.ts';\nexport const b = byId;\n`,
    rule: 'no-restricted-imports',
  },
  'the sheet imports core (allowed)': {
    path: `src/sheet/${tag}-ok.ts`,
    code: `import { mulberry32 } from '../core/index.ts';\nexport const rng = mulberry32(1);\n`,
    rule: null,
  },
  'a model imports a kernel (allowed)': {
    path: `src/training/models/${tag}-ok.ts`,
    code: `import { channelSum } from '../kernels/channel-sum.ts';\nexport const sum = channelSum;\n`,
    rule: null,
  },
};

let results: Map<string, ESLint.LintResult>;

beforeAll(async () => {
  for (const p of Object.values(probes)) {
    mkdirSync(dirname(join(root, p.path)), { recursive: true });
    writeFileSync(join(root, p.path), p.code);
  }
  try {
    const eslint = new ESLint({ cwd: root });
    const linted = await eslint.lintFiles(Object.values(probes).map((p) => p.path));
    results = new Map(linted.map((r) => [r.filePath, r]));
  } finally {
    for (const p of Object.values(probes)) rmSync(join(root, p.path), { force: true });
  }
}, 180_000);

afterAll(() => {
  for (const p of Object.values(probes)) rmSync(join(root, p.path), { force: true });
});

describe('layer boundaries (eslint.config.js)', () => {
  it.each(Object.entries(probes))('%s', (_, probe) => {
    const messages = results.get(join(root, probe.path))?.messages ?? null;
    expect(messages).not.toBeNull();
    if (probe.rule === null) {
      expect(messages).toEqual([]);
      return;
    }
    const hits = (messages ?? []).filter((m) => m.ruleId === probe.rule);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.severity).toBe(2);
    expect(hits[0]?.message).toMatch(/may not import this|no DOM here/);
  });
});
