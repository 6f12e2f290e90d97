/** What runs only in Node: the backends, the data and run files, a run in a folder (the CLI's). */
export { initNodeBackend } from './node-backend.ts';
export { loadFashionMnistFrom } from './node-data.ts';
export { trainRunInDir } from './node-run.ts';
export { nodeStore } from './node-store.ts';
export { WebGpuUnavailableError } from './node-webgpu.ts';
export { readJson } from './read-json.ts';
export { nativeConvsInUse } from '../run/backend.ts';
