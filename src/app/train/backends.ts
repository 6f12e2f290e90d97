import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { supplyMissingKernels } from '../../training/backend.ts';
import type { BackendChoice } from './protocol.ts';

/** What to try, in order, for each choice: the GPU first, then the CPU. */
const CHAINS: Readonly<Record<BackendChoice, readonly BackendChoice[]>> = {
  webgpu: ['webgpu', 'webgl', 'wasm', 'cpu'],
  webgl: ['webgl', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

const LABELS: Readonly<Record<BackendChoice, string>> = {
  webgl: 'WebGL',
  webgpu: 'WebGPU',
  wasm: 'WebAssembly',
  cpu: 'plain JavaScript',
};

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': simdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedUrl,
});

/** A backend works when it starts and computes a small product right. */
const works = async (name: BackendChoice): Promise<string | null> => {
  try {
    if (!(await tf.setBackend(name))) return 'it did not initialise';
    await tf.ready();
    const t = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
    const v = await t.data();
    t.dispose();
    return v[0] === 3 ? null : 'it computed a wrong result';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
};

/** The WebGL renderer's name when it is a software rasteriser (no GPU), else null. */
const softwareRenderer = (): string | null => {
  const gl = (tf.backend() as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const soft = /swiftshader|llvmpipe|softpipe|software/i.exec(name)?.[0];
  return soft ? soft.replace(/^swiftshader$/i, 'SwiftShader') : null;
};

/**
 * Starts the chosen backend, or the next in its chain with a notice for each that failed.
 * Kernels our trainer needs and a backend lacks are supplied.
 */
export const startBackend = async (
  choice: BackendChoice,
): Promise<{ backend: BackendChoice; notices: string[] }> => {
  const notices: string[] = [];
  const chain = CHAINS[choice];
  for (const [i, name] of chain.entries()) {
    const next = chain[i + 1];
    const why =
      name === 'webgpu' && !('gpu' in navigator) ? 'this browser has no WebGPU' : await works(name);
    if (why === null) {
      supplyMissingKernels(name);
      const soft = name === 'webgl' ? softwareRenderer() : null;
      if (soft)
        notices.push(
          `WebGL runs in software here (${soft}), far slower than a GPU: the wasm backend trains faster on this machine`,
        );
      return { backend: name, notices };
    }
    notices.push(
      `${LABELS[name]} did not start (${why})${next ? `; using ${LABELS[next]} instead` : ''}`,
    );
  }
  throw new Error(`no backend started: ${notices.join('; ')}`);
};
