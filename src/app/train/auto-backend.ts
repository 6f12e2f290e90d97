import type { GpuProbe } from './gpu-probe.ts';
import type { BackendChoice } from '../../core/backends.ts';

/** What the 'auto' backend setting resolved to, and why, in the page's words. */
export interface AutoPick {
  readonly backend: BackendChoice;
  /** For the backend menu's auto entry: "wasm: no GPU found". */
  readonly short: string;
  /** One sentence for the note under the menu. */
  readonly why: string;
}

/**
 * The fastest backend that works here: a real GPU's WebGPU, else its WebGL, else wasm. A
 * software renderer (SwiftShader, llvmpipe, lavapipe) is no GPU: on it WebGL trains far slower
 * than wasm on the same cores (2.3 against about 85 images/s for resnet-small on a 2-core machine).
 */
export const chooseBackend = (probe: GpuProbe): AutoPick => {
  const { webgpu, webgl } = probe;
  if (webgpu && !webgpu.software)
    return {
      backend: 'webgpu',
      short: 'WebGPU: GPU found',
      why: `auto picked WebGPU, on ${webgpu.name}`,
    };
  if (webgl && !webgl.software)
    return {
      backend: 'webgl',
      short: 'WebGL: GPU found',
      why: `auto picked WebGL, on ${webgl.name}`,
    };
  const found = [
    webgl?.software
      ? `WebGL draws in software here (${webgl.software}), slower than wasm`
      : 'WebGL is not available',
    webgpu?.software
      ? `the WebGPU adapter is a software one (${webgpu.software})`
      : 'there is no WebGPU adapter',
  ];
  return {
    backend: 'wasm',
    short: 'wasm: no GPU found',
    why: `auto picked wasm (CPU) because no GPU was found: ${found.join(', and ')}`,
  };
};

/** The backend menu's auto entry once the worker runs: what auto picked, or what it fell back to. */
export const autoEntry = (pick: AutoPick, inUse: BackendChoice): string =>
  inUse === pick.backend
    ? `auto (${pick.short})`
    : `auto (${inUse}: ${pick.backend} did not start)`;
