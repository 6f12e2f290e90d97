import * as tf from '@tensorflow/tfjs';
import { ModelBuilder } from './builder.ts';
import type { ModuleInfo } from './builder.ts';
import type { ModelName } from './names.ts';

export interface BuiltModel {
  readonly name: ModelName;
  readonly model: tf.LayersModel;
  readonly modules: readonly ModuleInfo[];
}

type Sym = tf.SymbolicTensor;
type Body = (b: ModelBuilder, x: Sym) => Sym;

const head = (b: ModelBuilder, x: Sym, nf: number, gap: boolean, drop = 0): Sym => {
  let y = gap
    ? b.module('GlobalAvgPool', x, (t) => b.globalAvgPool(t))
    : b.module('Flatten', x, (t) => b.flatten(t));
  if (drop > 0) y = b.module(`Dropout(${drop})`, y, (t) => b.dropout(t, drop, false));
  y = b.module(`Linear(${nf}, 10, bias=False)`, y, (t) => b.linear(t, 10, false));
  return b.module('BatchNorm1d(10)', y, (t) => b.batchNorm(t));
};

const resBlocks = (b: ModelBuilder, x: Sym, nfs: readonly number[]): Sym =>
  nfs.slice(0, -1).reduce((y, ni, i) => {
    const nf = nfs[i + 1] ?? ni;
    return b.module(`ResBlock(${ni}, ${nf}, stride=2)`, y, (t) =>
      b.resBlock(t, ni, nf, { stride: 2 }),
    );
  }, x);

const stem5 = (b: ModelBuilder, x: Sym): Sym =>
  b.module('ResBlock(1, 16, ks=5)', x, (t) => b.resBlock(t, 1, 16, { ks: 5 }));

/** The lesson's models (docs/lesson.md §3, §4.1, §4.3, §5.1, §5.6), by name. */
const BODIES = {
  /** 12_accel_sgd: conv 1→8→16→32→64, then conv 64→10, flatten. 30,394 params. */
  cnn: (b, x) => {
    const nfs = [1, 8, 16, 32, 64];
    let y = nfs
      .slice(0, -1)
      .reduce(
        (t, ni, i) =>
          b.module(`conv(${ni}, ${nfs[i + 1] ?? ni})`, t, (u) => b.conv(u, nfs[i + 1] ?? ni)),
        x,
      );
    y = b.module('conv(64, 10, act=None, norm=None)', y, (t) =>
      b.conv(t, 10, { act: false, norm: false }),
    );
    return b.module('Flatten', y, (t) => b.flatten(t));
  },
  /** 13_resnet's deeper plain CNN: a stride-1 stem, then 8→…→128 and conv 128→10 with BN. 110,286 params. */
  'deep-cnn': (b, x) => {
    let y = b.module('conv(1, 8, stride=1)', x, (t) => b.conv(t, 8, { stride: 1 }));
    const nfs = [8, 16, 32, 64, 128];
    y = nfs
      .slice(0, -1)
      .reduce(
        (t, ni, i) =>
          b.module(`conv(${ni}, ${nfs[i + 1] ?? ni})`, t, (u) => b.conv(u, nfs[i + 1] ?? ni)),
        y,
      );
    y = b.module('conv(128, 10, act=None)', y, (t) => b.conv(t, 10, { act: false }));
    return b.module('Flatten', y, (t) => b.flatten(t));
  },
  /** 13_resnet: ResBlock(1,8) then five stride-2 ResBlocks to 256, flatten, Linear, BN1d. 1,228,908 params. */
  resnet: (b, x) => {
    const y = b.module('ResBlock(1, 8)', x, (t) => b.resBlock(t, 1, 8));
    return head(b, resBlocks(b, y, [8, 16, 32, 64, 128, 256]), 256, false);
  },
  /** 14_augment `get_model`: ks5 stem, ResBlocks 16→…→512, flatten. 4,907,588 params. */
  'resnet-wide': (b, x) =>
    head(b, resBlocks(b, stem5(b, x), [16, 32, 64, 128, 256, 512]), 512, false),
  /** `get_model2`: to 256 at 2×2, ResBlock(256, 512) stride 1, global average pool. 4,907,588 params. */
  'resnet-gap': (b, x) => {
    const y = resBlocks(b, stem5(b, x), [16, 32, 64, 128, 256]);
    const z = b.module('ResBlock(256, 512)', y, (t) => b.resBlock(t, 256, 512));
    return head(b, z, 512, true);
  },
  /** `get_model3`: to 256, global average pool. 1,231,428 params, 18.3 MFLOPs. */
  'resnet-small': (b, x) => head(b, resBlocks(b, stem5(b, x), [16, 32, 64, 128, 256]), 256, true),
  /** `get_model4`: a single conv(1,16,ks5) stem. 1,224,948 params, 13.3 MFLOPs. */
  'resnet-stem': (b, x) => {
    const y = b.module('conv(1, 16, ks=5, stride=1)', x, (t) =>
      b.conv(t, 16, { ks: 5, stride: 1 }),
    );
    return head(b, resBlocks(b, y, [16, 32, 64, 128, 256]), 256, true);
  },
  /** Lesson 19's `get_dropmodel`: the wide model with Dropout2d after the stem and Dropout before the Linear (p 0.1). */
  'resnet-drop': (b, x) => {
    const y = b.module('Dropout2d(0.1)', stem5(b, x), (t) => b.dropout(t, 0.1, true));
    return head(b, resBlocks(b, y, [16, 32, 64, 128, 256, 512]), 512, false, 0.1);
  },
} as const satisfies Record<ModelName, Body>;

export { isModelName, MODEL_NAMES } from './names.ts';
export type { ModelName } from './names.ts';

/** Builds a model by name (weights at tfjs defaults; see `initWeights` for the lesson's init). */
export const buildModel = (name: ModelName): BuiltModel => {
  const b = new ModelBuilder();
  const input = tf.input({ shape: [28, 28, 1], name: 'image' });
  const output = BODIES[name](b, input);
  return { name, model: tf.model({ inputs: input, outputs: output, name }), modules: b.modules };
};
