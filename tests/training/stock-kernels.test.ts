import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeConvsOff } from '../../src/training/node/native-convs.ts';

/** Starts wasm in a fresh process (registrations are per process) and lists what was replaced. */
const replacementsWith = (env: Record<string, string>): string[] => {
  const script = [
    "const { initNodeBackend } = await import('./src/training/node/node-backend.ts');",
    "const { kernelReplacements } = await import('./src/training/run/backend.ts');",
    "await initNodeBackend('wasm');",
    'console.log(JSON.stringify(kernelReplacements()));',
  ].join('\n');
  const r = spawnSync('npx', ['tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
};

describe('GRADSHEET_STOCK_KERNELS, the switch for bisecting a numeric problem', () => {
  const WASM = [
    'AvgPoolGrad@wasm',
    'Conv2DBackpropInput@wasm',
    'FusedBatchNorm@gradient',
    'Identity@wasm',
    'LeakyRelu@gradient',
    'LeakyRelu@wasm',
    'Mean@wasm',
    'PadV2@wasm',
    'Slice@wasm',
    'Sum@wasm',
  ];
  it('by default the wasm replacements and both gradients are registered', () => {
    expect(replacementsWith({ GRADSHEET_NATIVE: '0' })).toEqual(WASM);
  });
  it.skipIf(nativeConvsOff() !== null)(
    'with native convolutions, the four convolutions too',
    () => {
      expect(replacementsWith({})).toEqual(
        [...WASM, 'Conv2D@wasm', 'Conv2DBackpropFilter@wasm', 'FusedConv2D@wasm'].sort(),
      );
    },
  );
  it('set to 1, tfjs’s own kernels and gradients run', () => {
    expect(replacementsWith({ GRADSHEET_STOCK_KERNELS: '1' })).toEqual([]);
  });
});
