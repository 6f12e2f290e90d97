/** What runs only in Node: the backends, the data and run files, a run in a folder (the CLI's). */
export { initNodeBackend } from './node-backend.ts';
export { loadFashionMnistFrom } from './node-data.ts';
export { trainRunInDir } from './node-run.ts';
export { memberDir, nodeStore } from './node-store.ts';
export type { SavedEvaluation, SavedWeights, ViewsFigure } from './evaluate-saved.ts';
export { evaluateSaved, savedModelName } from './evaluate-saved.ts';
export { WebGpuUnavailableError } from './node-webgpu.ts';
export { readJson } from './read-json.ts';
export { nativeConvsInUse } from '../run/backend.ts';
