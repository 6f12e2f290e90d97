/** What Dawn sees: the adapter it picks (or why there is none), without tfjs. */
export interface AdapterProbe {
  readonly adapter: string | null;
  readonly backend: string | null;
  readonly maxBufferSize: number | null;
  readonly error: string | null;
}

interface DawnModule {
  create(options: string[]): GPU;
}

export const probeAdapter = async (): Promise<AdapterProbe> => {
  let dawn: DawnModule;
  try {
    dawn = await import('webgpu');
  } catch (err) {
    const error = `cannot load Dawn (webgpu): ${(err as Error).message.split('\n')[0] ?? ''}`;
    return { adapter: null, backend: null, maxBufferSize: null, error };
  }
  const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter)
    return {
      adapter: null,
      backend: null,
      maxBufferSize: null,
      error: 'Dawn found no Vulkan adapter',
    };
  const { vendor, architecture, device, description } = adapter.info;
  return {
    adapter: [vendor, architecture, device, description].filter((s) => s !== '').join(' '),
    backend: 'vulkan',
    maxBufferSize: adapter.limits.maxBufferSize,
    error: null,
  };
};
