/** Messages between the main thread and a gradient worker. */
export interface InitMessage {
  readonly kind: 'init';
  readonly model: string;
  readonly backend: 'wasm' | 'cpu';
  /**
   * The pool's buffer for BatchNorm's channel sums (`shared-sums.ts`), this worker's rank in it;
   * null where memory cannot be shared (a page that is not cross-origin isolated).
   */
  readonly sums: SharedArrayBuffer | null;
  readonly rank: number;
  readonly workers: number;
}

export interface StepMessage {
  readonly kind: 'step';
  /** Every model weight (trainable and BN statistics), in `model.weights` order. */
  readonly weights: Float32Array[];
  readonly x: Float32Array;
  readonly y: Int32Array;
  /**
   * The shard's training targets as rows of class weights (label smoothing, mixup, CutMix),
   * trained against with soft cross-entropy; null: the labels `y`, with plain cross-entropy.
   */
  readonly targets: Float32Array | null;
  /** This shard's share of the batch: its loss and gradients are scaled by it. */
  readonly share: number;
  /** Largest piece pushed through the model at once (the wasm heap's limit). */
  readonly microBatch: number;
  /**
   * Workers whose BatchNorm sums are added (every shard of the step, each in one piece), so
   * BatchNorm sees the whole batch; null: BatchNorm normalises each micro-batch alone.
   */
  readonly syncParties: number | null;
}

export interface StepResult {
  readonly kind: 'result';
  readonly loss: number;
  /** Gradients of the trainable weights, in `model.trainableWeights` order. */
  readonly grads: Float32Array[];
  readonly preds: Float32Array;
  /**
   * The weights that are not trained (BatchNorm's moving statistics) after the forward pass, in
   * `model.weights` order; the trainable ones stay behind (reading them all back, a step of
   * resnet-wide over two workers took 1.76 s against 1.55 s, medians of five).
   */
  readonly stats: Float32Array[];
}

export interface ErrorResult {
  readonly kind: 'error';
  readonly message: string;
}
