import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { summarise } from '../../src/training/models/summary.ts';
import { buildModel } from '../../src/training/models/zoo.ts';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('the lesson’s models: parameter counts and MFLOPs as the spec gives them', () => {
  it.each([
    ['cnn', 30394, null],
    ['deep-cnn', 110286, null],
    ['resnet', 1228908, null],
    ['resnet-wide', 4907588, 22.0],
    ['resnet-gap', 4907588, 33.0],
    ['resnet-small', 1231428, 18.3],
    ['resnet-stem', 1224948, 13.3],
    ['resnet-drop', 4907588, null],
  ] as const)('%s: %i params', (name, params, mflops) => {
    const built = buildModel(name);
    const s = summarise(built);
    expect(s.params).toBe(params);
    expect(built.model.countParams() - s.params).toBeGreaterThan(0); // BN moving stats are buffers, not params
    if (mflops !== null) expect(s.mflops).toBeCloseTo(mflops, 1);
    expect(built.model.outputs[0]?.shape).toEqual([null, 10]);
    built.model.layers.forEach((l) => {
      l.dispose();
    });
  });

  it('per-module figures of the wider ResNet (docs/lesson.md §5.1)', () => {
    const s = summarise(buildModel('resnet-wide'));
    const by = (label: string) => s.rows.find((r) => r.module === label);
    expect(by('ResBlock(1, 16, ks=5)')).toMatchObject({
      params: 6928,
      input: [null, 28, 28, 1],
      output: [null, 28, 28, 16],
    });
    expect(by('ResBlock(1, 16, ks=5)')?.mflops).toBeCloseTo(5.34, 2);
    expect(by('ResBlock(16, 32, stride=2)')).toMatchObject({
      params: 14560,
      output: [null, 14, 14, 32],
    });
    expect(by('ResBlock(16, 32, stride=2)')?.mflops).toBeCloseTo(2.81, 2);
    expect(by('ResBlock(32, 64, stride=2)')).toMatchObject({
      params: 57792,
      output: [null, 7, 7, 64],
    });
    expect(by('ResBlock(64, 128, stride=2)')).toMatchObject({
      params: 230272,
      output: [null, 4, 4, 128],
    });
    expect(by('ResBlock(128, 256, stride=2)')).toMatchObject({
      params: 919296,
      output: [null, 2, 2, 256],
    });
    expect(by('ResBlock(256, 512, stride=2)')).toMatchObject({
      params: 3673600,
      output: [null, 1, 1, 512],
    });
    expect(by('ResBlock(256, 512, stride=2)')?.mflops).toBeCloseTo(3.67, 2);
    expect(by('Linear(512, 10, bias=False)')?.params).toBe(5120);
    expect(by('BatchNorm1d(10)')?.params).toBe(20);
  });

  it('the stride-2 convs put their windows where PyTorch does (1 px padding each side)', () => {
    const { model } = buildModel('cnn');
    const out = model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor;
    expect(out.shape).toEqual([1, 10]);
    out.dispose();
    const shapes = model.layers.filter((l) => l.name.includes('_conv')).map((l) => l.outputShape);
    expect(shapes).toEqual([
      [null, 14, 14, 8],
      [null, 7, 7, 16],
      [null, 4, 4, 32],
      [null, 2, 2, 64],
      [null, 1, 1, 10],
    ]);
  });
});
