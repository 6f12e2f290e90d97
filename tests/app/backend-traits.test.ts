import { describe, expect, it } from 'vitest';
import { microBatchFor, whereItTrains } from '../../src/app/train/backend-traits.ts';

describe('what the page says about a backend', () => {
  it('names where each backend trains', () => {
    expect(whereItTrains('wasm')).toBe('on wasm (CPU)');
    expect(whereItTrains('cpu')).toBe('in plain JavaScript (CPU)');
    expect(whereItTrains('webgl')).toBe('on your GPU (WebGL)');
    expect(whereItTrains('webgpu')).toBe('on your GPU (WebGPU)');
    // WebGL on a software renderer is not a GPU: the header must not claim one.
    expect(whereItTrains('webgl', 'SwiftShader')).toBe('on WebGL in software (SwiftShader, CPU)');
  });

  it('puts the whole batch through a GPU and at most 256 images through the CPU', () => {
    expect(microBatchFor('webgl', 1024)).toBe(1024);
    expect(microBatchFor('webgpu', 1024)).toBe(1024);
    expect(microBatchFor('wasm', 1024)).toBe(256);
    expect(microBatchFor('wasm', 64)).toBe(64);
    expect(microBatchFor('auto', 1024)).toBe(256);
  });
});
