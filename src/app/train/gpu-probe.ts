/**
 * What this browser offers for training on a GPU, found without starting tfjs: is there a WebGPU
 * adapter, and does WebGL draw on a GPU or in software? Works on the page and in a worker.
 */

/** One GPU API's answer: the device's name, and whether it is a software renderer (no GPU). */
export interface GpuFound {
  readonly name: string;
  /** The software renderer's name (SwiftShader, llvmpipe, lavapipe), or null for a real GPU. */
  readonly software: string | null;
}

export interface GpuProbe {
  readonly webgpu: GpuFound | null;
  readonly webgl: GpuFound | null;
}

/** Chromium's SwiftShader and Mesa's llvmpipe, softpipe and lavapipe draw on the CPU. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software/i;

/** The software renderer in a renderer's or adapter's name, spelled for the user; null for a GPU. */
export const softwareName = (name: string): string | null => {
  const hit = SOFTWARE.exec(name)?.[0];
  if (!hit) return null;
  return /^swiftshader$/i.test(hit) ? 'SwiftShader' : hit.toLowerCase();
};

/** The renderer of a WebGL context, unmasked where the browser allows. */
export const rendererOf = (gl: WebGLRenderingContext | WebGL2RenderingContext): string => {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
};

const probeWebGl = (): GpuFound | null => {
  try {
    const canvas =
      typeof OffscreenCanvas === 'undefined'
        ? document.createElement('canvas')
        : new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return null;
    const name = rendererOf(gl);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { name, software: softwareName(name) };
  } catch {
    return null;
  }
};

/** The part of WebGPU's adapter this probe reads (`info` since Chrome 127). */
interface Adapter {
  readonly isFallbackAdapter?: boolean;
  readonly info?: {
    readonly vendor?: string;
    readonly architecture?: string;
    readonly description?: string;
    readonly isFallbackAdapter?: boolean;
  };
}

const probeWebGpu = async (): Promise<GpuFound | null> => {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return null;
    const info = adapter.info ?? {};
    const name =
      [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') ||
      'a WebGPU adapter';
    const fallback = (adapter.isFallbackAdapter ?? info.isFallbackAdapter) === true;
    return { name, software: softwareName(name) ?? (fallback ? 'a fallback adapter' : null) };
  } catch {
    return null;
  }
};

export const probeGpus = async (): Promise<GpuProbe> => ({
  webgpu: await probeWebGpu(),
  webgl: probeWebGl(),
});
