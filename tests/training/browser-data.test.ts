import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFashionMnist } from '../../src/training/data/browser-data.ts';
import { initWeights } from '../../src/training/models/init.ts';
import { buildModel } from '../../src/training/models/zoo.ts';
import '../../src/training/models/general-relu.ts';
import { initNodeBackend } from '../../src/training/node/node-backend.ts';
import { DEFAULT_DATA_DIR, loadFashionMnistFrom } from '../../src/training/node/node-data.ts';
import { saveModel } from '../../src/training/node/save.ts';

// A loopback server for data/ and one saved model: what the browser fetches.
const modelDir = mkdtempSync(join(tmpdir(), 'model-'));
const server = createServer((req, res) => {
  const [, root, name] = /^\/(data|model)\/([\w.-]+)$/.exec(req.url ?? '') ?? [];
  const path = name ? join(root === 'data' ? DEFAULT_DATA_DIR : modelDir, name) : '';
  if (!path || !existsSync(path)) {
    res.writeHead(404).end();
    return;
  }
  createReadStream(path).pipe(res);
});
let base = '';
beforeAll(async () => {
  await initNodeBackend('wasm');
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe('the browser side, over HTTP', () => {
  it('reads the same data as Node through the same parser', async () => {
    const web = await fetchFashionMnist(`${base}/data/`);
    const node = await loadFashionMnistFrom();
    expect(web.train.n).toBe(60000);
    expect(web.valid.labels).toEqual(node.valid.labels);
    expect(web.train.images.subarray(0, 5000)).toEqual(node.train.images.subarray(0, 5000));
  });

  it('says which file is missing', async () => {
    await expect(fetchFashionMnist(`${base}/nope/`)).rejects.toThrow(
      /nope\/train-images-idx3-ubyte\.gz: HTTP 404/,
    );
  });

  it('a saved model loads with tf.loadLayersModel and predicts the same', async () => {
    const { model } = buildModel('resnet-stem');
    initWeights(model, 3);
    await saveModel(model, modelDir);
    expect(JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'))).toMatchObject({
      format: 'layers-model',
    });
    const loaded = await tf.loadLayersModel(`${base}/model/model.json`, { fetchFunc: fetch });
    const x = tf.randomNormal([2, 28, 28, 1]);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
  });
});
