import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NativeConvs } from '../kernels/native-conv.ts';

/** Where `scripts/build-native.mjs` puts the compiled kernels, under the package root. */
const BUILT = 'native/build/gradsheet-native.node';
/** The addon's `version` this code expects (`kVersion` in native/conv.cc). */
const VERSION = 1;

/** The package root: the first folder above this file (source or compiled CLI) with a package.json. */
const packageRoot = (): string | null => {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return null;
  }
};

type Addon = Omit<NativeConvs, 'name'> & { readonly version?: number };

/** The addon, or why it cannot be used here. */
const load = (): Addon | string => {
  if (process.env.GRADSHEET_NATIVE === '0') return 'GRADSHEET_NATIVE=0';
  if (process.env.GRADSHEET_STOCK_KERNELS === '1') return 'GRADSHEET_STOCK_KERNELS=1';
  const root = packageRoot();
  if (!root || !existsSync(join(root, BUILT)))
    return 'not built (npm run build:native; needs g++ and oneDNN 2: apt-get install libdnnl-dev)';
  try {
    const addon = createRequire(import.meta.url)(join(root, BUILT)) as Addon;
    if (addon.version !== VERSION)
      return `${BUILT} is another version (${String(addon.version)}, want ${String(VERSION)}): npm run build:native`;
    return addon;
  } catch (err) {
    // e.g. libdnnl.so.2 removed since the build
    return `${BUILT} does not load: ${(err as Error).message.split('\n')[0] ?? ''}`;
  }
};

let loaded: Addon | string | undefined;
const addonOrWhy = (): Addon | string => (loaded ??= load());

/** Why native kernels are off in this thread, or null when they load. */
export const nativeConvsOff = (): string | null => {
  const a = addonOrWhy();
  return typeof a === 'string' ? a : null;
};

/**
 * The native kernels of `native/` (oneDNN convolutions, BatchNorm's passes), loaded into this
 * thread (each worker thread loads its own), or null where they are off, missing or do not load:
 * Node then trains on wasm kernels only. `GRADSHEET_NATIVE=0` turns them off, as
 * `GRADSHEET_STOCK_KERNELS=1` does.
 */
export const loadNativeConvs = (): NativeConvs | null => {
  const addon = addonOrWhy();
  if (typeof addon === 'string') return null;
  // the addon's functions are not enumerable: bind them one by one
  return {
    name: 'oneDNN',
    forward: addon.forward.bind(addon),
    backwardData: addon.backwardData.bind(addon),
    backwardWeights: addon.backwardWeights.bind(addon),
    channelSums: addon.channelSums.bind(addon),
    channelDot: addon.channelDot.bind(addon),
    affine2: addon.affine2.bind(addon),
  };
};
