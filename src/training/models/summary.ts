import type { BuiltModel } from './zoo.ts';

export interface SummaryRow {
  readonly module: string;
  readonly input: readonly (number | null)[];
  readonly output: readonly (number | null)[];
  readonly params: number;
  readonly mflops: number;
}

export interface ModelSummary {
  readonly model: string;
  readonly rows: readonly SummaryRow[];
  readonly params: number;
  readonly mflops: number;
}

/**
 * miniai's `Learner.summary` (docs/lesson.md §4.4): per top-level module, its shapes, its trainable
 * parameters, and MFLOPs = Σ over its parameters of (numel, or numel·H_out·W_out for 4-D conv
 * weights, at the module's output resolution) / 1e6: a deliberately rough multiply count.
 */
export const summarise = (built: BuiltModel): ModelSummary => {
  const rows = built.modules.map((m) => {
    const layers = built.model.layers.filter((l) => l.name.startsWith(`${m.prefix}_`));
    const out = m.output.shape;
    const hw = out.length === 4 ? (out[1] ?? 1) * (out[2] ?? 1) : 1;
    let params = 0;
    let flops = 0;
    for (const l of layers) {
      for (const w of l.trainableWeights) {
        const n = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
        params += n;
        flops += w.shape.length === 4 ? n * hw : n;
      }
    }
    return { module: m.label, input: m.input.shape, output: out, params, mflops: flops / 1e6 };
  });
  return {
    model: built.name,
    rows,
    params: rows.reduce((a, r) => a + r.params, 0),
    mflops: rows.reduce((a, r) => a + r.mflops, 0),
  };
};
