import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src/training/learner/learner.ts';
import { initWeights } from '../../src/training/models/init.ts';
import { trainableVariables } from '../../src/training/models/variables.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { adapterInfo, WebGpuUnavailableError } from '../../src/training/node/node-webgpu.ts';
import { OPTIMIZERS, RuleOptimizer } from '../../src/training/learner/optimizer.ts';

/** Why the webgpu backend cannot run here (no `webgpu` package, no Vulkan driver), or null. */
const unavailable = await (async (): Promise<string | null> => {
  await initNodeBackend('wasm');
  try {
    await initNodeBackend('webgpu');
    return null;
  } catch (err) {
    if (err instanceof WebGpuUnavailableError) return err.message;
    throw err;
  }
})();

/** Whether this process loads the optional package `webgpu` (Dawn for Node): the CLI must too. */
const dawnInstalled = !(unavailable ?? '').includes("npm package 'webgpu'");

/**
 * The cnn's loss, gradients and weights after one SGD step, on one backend, from the same start.
 * (Adam's first step is ±lr wherever a gradient is not ~0, so gradients of ~1e-9 whose sign
 * differs in float rounding move a weight by 2·lr: SGD shows agreement without that amplifier.)
 */
const oneStep = async (backend: 'wasm' | 'webgpu') => {
  await tf.setBackend(backend);
  const { model } = buildModel('cnn');
  initWeights(model, 7);
  const vars = trainableVariables(model);
  const x = tf.tidy(() => tf.sin(tf.reshape(tf.range(0, 16 * 28 * 28), [16, 28, 28, 1])));
  const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32');
  const { value, grads } = tf.variableGrads(
    () => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y),
    vars,
  );
  const out = {
    loss: (await value.data())[0] ?? NaN,
    grads: (await Promise.all(
      vars.map(async (v) => grads[v.name]?.data() ?? new Float32Array()),
    )) as Float32Array[],
    weights: [] as Float32Array[],
  };
  const opt = new RuleOptimizer(OPTIMIZERS.sgd.rule, vars, { lr: 0.1 });
  opt.applyGradients(grads);
  out.weights = (await Promise.all(vars.map((v) => v.data()))) as Float32Array[];
  tf.dispose([x, y, value, ...Object.values(grads)]);
  opt.dispose();
  model.dispose();
  return out;
};

const maxRelDiff = (a: readonly Float32Array[], b: readonly Float32Array[]): number => {
  let diff = 0;
  let scale = 0;
  a.forEach((ai, i) => {
    const bi = b[i] ?? new Float32Array();
    ai.forEach((v, j) => {
      diff = Math.max(diff, Math.abs(v - (bi[j] ?? NaN)));
      scale = Math.max(scale, Math.abs(v));
    });
  });
  return diff / scale;
};

describe.skipIf(unavailable !== null)(`the webgpu backend in Node (Dawn on ${adapterInfo})`, () => {
  it('computes the same gradients and training step as wasm', async () => {
    const wasm = await oneStep('wasm');
    const gpu = await oneStep('webgpu');
    expect(gpu.loss).toBeCloseTo(wasm.loss, 4);
    expect(maxRelDiff(wasm.grads, gpu.grads)).toBeLessThan(1e-4);
    expect(maxRelDiff(wasm.weights, gpu.weights)).toBeLessThan(1e-5);
  }, 120_000);
});

/** `gradsheet train --backend webgpu` on a small subset, in a child process. */
const trainOnWebGpu = (out: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(
    process.execPath,
    'bin/gradsheet.js train --backend webgpu --model cnn --subset 256 --bs 64 --epochs 1 --out'
      .split(' ')
      .concat(out),
    { encoding: 'utf8', timeout: 240_000, env },
  );

describe('gradsheet train --backend webgpu', () => {
  it.skipIf(unavailable !== null)(
    'trains end to end on the GPU backend',
    () => {
      const r = trainOnWebGpu(join(mkdtempSync(join(tmpdir(), 'webgpu-')), 'run'));
      const said = `stderr: ${r.stderr}\nstdout: ${r.stdout}`;
      expect(r.status, said).toBe(0);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.stdout).toMatch(/ · webgpu/);
      expect(r.stdout).toMatch(/^accuracy 0\.\d{4}/m);
    },
    240_000,
  );

  it('without a Vulkan driver, says so and suggests --backend wasm (exit 2)', () => {
    const r = trainOnWebGpu(join(mkdtempSync(join(tmpdir(), 'webgpu-none-')), 'run'), {
      ...process.env,
      VK_ICD_FILENAMES: '/nonexistent.json',
      VK_DRIVER_FILES: '/nonexistent.json',
    });
    expect(r.status).toBe(2);
    // With Dawn installed the CLI must load it (a bundle that moved dawn.node once failed here).
    expect(r.stderr).toMatch(dawnInstalled ? /no Vulkan driver/ : /npm package 'webgpu'/);
    expect(r.stderr).toMatch(/--backend wasm/);
  }, 120_000);
});

if (unavailable !== null) {
  describe('webgpu: skipped', () => {
    it.skip(`because ${unavailable}`, () => undefined);
  });
}
