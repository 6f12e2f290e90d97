import type { FashionMnist } from './fashion-mnist.ts';
import { loadFashionMnist } from './fashion-mnist.ts';
import { DataFileError } from './idx.ts';

/**
 * Fashion-MNIST over HTTP (the browser): fetches the four `.gz` files from `baseUrl` and
 * gunzips them with `DecompressionStream`, then the same parser as in Node checks them.
 */
export const fetchFashionMnist = (
  baseUrl: string,
  fetchFn: typeof fetch = fetch,
): Promise<FashionMnist> =>
  loadFashionMnist(async (name) => {
    const url = `${baseUrl.replace(/\/$/, '')}/${name}`;
    let res: Response;
    try {
      res = await fetchFn(url);
    } catch (err) {
      throw new DataFileError(`${url}: cannot fetch (${(err as Error).message})`);
    }
    if (!res.ok || !res.body)
      throw new DataFileError(`${url}: HTTP ${res.status} ${res.statusText}`);
    try {
      const stream = res.body.pipeThrough(new DecompressionStream('gzip'));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    } catch (err) {
      throw new DataFileError(`${url}: not a valid gzip file (${(err as Error).message})`);
    }
  });
