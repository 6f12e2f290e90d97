import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NativeConvs } from '../kernels/native-conv.ts';

/** Where `scripts/build-native.mjs` puts the compiled convolutions, under the package root. */
const BUILT = 'dist/native/gradsheet-native.node';

/** The package root: the first folder above this file (source or compiled CLI) with a package.json. */
const packageRoot = (): string | null => {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return null;
  }
};

/** Why native convolutions are off in this process, or null when they may load. */
export const nativeConvsOff = (): string | null => {
  if (process.env.GRADSHEET_NATIVE === '0') return 'GRADSHEET_NATIVE=0';
  if (process.env.GRADSHEET_STOCK_KERNELS === '1') return 'GRADSHEET_STOCK_KERNELS=1';
  const root = packageRoot();
  if (!root || !existsSync(join(root, BUILT)))
    return `not built (npm run build:native; needs g++ and oneDNN: apt-get install libdnnl-dev)`;
  return null;
};

/**
 * The oneDNN convolutions of `native/conv.cc`, loaded into this thread (each worker thread loads
 * its own), or null where they are off or missing: Node then trains on wasm kernels only.
 * `GRADSHEET_NATIVE=0` turns them off, as `GRADSHEET_STOCK_KERNELS=1` does.
 */
export const loadNativeConvs = (): NativeConvs | null => {
  if (nativeConvsOff() !== null) return null;
  const root = packageRoot() ?? '.';
  const addon = createRequire(import.meta.url)(join(root, BUILT)) as Omit<NativeConvs, 'name'>;
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
