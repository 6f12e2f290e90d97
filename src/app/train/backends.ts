import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { supplyMissingKernels } from '../../training/trainer.ts';
import type { AutoPick } from './auto-backend.ts';
import { chooseBackend } from './auto-backend.ts';
import { BACKEND_LABELS } from './backend-traits.ts';
import { probeGpus, rendererOf, softwareName } from './gpu-probe.ts';
import type { BackendChoice, BackendSetting } from './protocol.ts';

/** What to try, in order, for each choice: the GPU first, then the CPU. */
const CHAINS: Readonly<Record<BackendChoice, readonly BackendChoice[]>> = {
  webgpu: ['webgpu', 'webgl', 'wasm', 'cpu'],
  webgl: ['webgl', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

/**
 * One wasm thread per worker, as in Node: on a cross-origin-isolated page tfjs would start its
 * own thread pool in every worker, and the gradient workers (one per core) would then fight
 * over the cores.
 */
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

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

/** The name of tfjs's WebGL renderer when it is a software rasteriser (no GPU), else null. */
const softwareRenderer = (): string | null => {
  const gl = (tf.backend() as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  return gl ? softwareName(rendererOf(gl)) : null;
};

/** A started backend: the one in use, what went wrong on the way, and what 'auto' picked. */
export interface Started {
  readonly backend: BackendChoice;
  readonly notices: string[];
  readonly software: string | null;
  readonly auto: AutoPick | null;
}

/**
 * Starts the chosen backend ('auto': the fastest that works here, see `chooseBackend`), or the
 * next in its chain with a notice for each that failed. Kernels our trainer needs and a backend
 * lacks are supplied.
 */
export const startBackend = async (setting: BackendSetting): Promise<Started> => {
  const auto = setting === 'auto' ? chooseBackend(await probeGpus()) : null;
  const notices: string[] = [];
  const chain = CHAINS[auto ? auto.backend : (setting as BackendChoice)];
  for (const [i, name] of chain.entries()) {
    const next = chain[i + 1];
    const why =
      name === 'webgpu' && !('gpu' in navigator) ? 'this browser has no WebGPU' : await works(name);
    if (why === null) {
      supplyMissingKernels(name);
      const software = name === 'webgl' ? softwareRenderer() : null;
      if (software)
        notices.push(
          `WebGL runs in software here (${software}), far slower than a GPU: the wasm backend trains faster on this machine`,
        );
      return { backend: name, notices, software, auto };
    }
    notices.push(
      `${BACKEND_LABELS[name]} did not start (${why})${next ? `; using ${BACKEND_LABELS[next]} instead` : ''}`,
    );
  }
  throw new Error(`no backend started: ${notices.join('; ')}`);
};
