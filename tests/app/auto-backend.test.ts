import { describe, expect, it } from 'vitest';
import { autoEntry, chooseBackend } from '../../src/app/train/auto-backend.ts';
import { softwareName } from '../../src/app/train/gpu-probe.ts';

// Renderer strings as browsers report them (WEBGL_debug_renderer_info).
const SWIFTSHADER =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const LLVMPIPE = 'llvmpipe (LLVM 15.0.6, 256 bits)';
const NVIDIA =
  'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe('the software renderer in a renderer name', () => {
  it('finds SwiftShader, llvmpipe and lavapipe, and no software in a real GPU', () => {
    expect(softwareName(SWIFTSHADER)).toBe('SwiftShader');
    expect(softwareName(LLVMPIPE)).toBe('llvmpipe');
    expect(softwareName('mesa lavapipe cpu')).toBe('lavapipe');
    expect(softwareName(NVIDIA)).toBeNull();
    expect(softwareName('Apple M2')).toBeNull();
  });
});

describe("the 'auto' backend", () => {
  const gpu = (name: string) => ({ name, software: softwareName(name) });

  it('picks wasm when WebGL draws in software and there is no WebGPU, and says why', () => {
    expect(chooseBackend({ webgpu: null, webgl: gpu(SWIFTSHADER) })).toEqual({
      backend: 'wasm',
      short: 'wasm: no GPU found',
      why:
        'auto picked wasm (CPU) because no GPU was found: WebGL draws in software here ' +
        '(SwiftShader), slower than wasm, and there is no WebGPU adapter',
    });
  });

  it('picks wasm without any GPU API, or when both run in software', () => {
    expect(chooseBackend({ webgpu: null, webgl: null }).backend).toBe('wasm');
    const both = chooseBackend({ webgpu: gpu('Google lavapipe'), webgl: gpu(LLVMPIPE) });
    expect(both.backend).toBe('wasm');
    expect(both.why).toContain('WebGL draws in software here (llvmpipe)');
    expect(both.why).toContain('the WebGPU adapter is a software one (lavapipe)');
  });

  it("picks a real GPU's WebGL, and its WebGPU first when it has one", () => {
    expect(chooseBackend({ webgpu: null, webgl: gpu(NVIDIA) })).toEqual({
      backend: 'webgl',
      short: 'WebGL: GPU found',
      why: `auto picked WebGL, on ${NVIDIA}`,
    });
    expect(chooseBackend({ webgpu: gpu('nvidia ampere'), webgl: gpu(NVIDIA) }).backend).toBe(
      'webgpu',
    );
    // A software WebGPU adapter loses to a real GPU's WebGL.
    expect(chooseBackend({ webgpu: gpu('google swiftshader'), webgl: gpu(NVIDIA) }).backend).toBe(
      'webgl',
    );
  });

  it('names its pick in the menu, or the fallback when the pick did not start', () => {
    const pick = chooseBackend({ webgpu: null, webgl: gpu(NVIDIA) });
    expect(autoEntry(pick, 'webgl')).toBe('auto (WebGL: GPU found)');
    expect(autoEntry(pick, 'wasm')).toBe('auto (wasm: webgl did not start)');
  });
});
