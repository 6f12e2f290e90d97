/**
 * The Node half of `scripts/gpu-check.sh`, bundled by `npm run gpu:bundle` into
 * gpu-bundle/check.mjs. Each command prints one JSON line on stdout; progress goes to stderr.
 *   probe                                   Dawn's adapter
 *   step  [--bs 1024] [--rounds 3]          tfjs webgpu training step, as bench:train times it
 *   epoch [--bs N] [--subset N] --data DIR --out DIR   epoch 1 of the 5-epoch recipe
 */
import { webgpuFirstEpoch } from './epoch.ts';
import { probeAdapter } from './probe.ts';
import { webgpuStep } from './step.ts';

const [command = '', ...args] = process.argv.slice(2);
const opt = (name: string): string | null => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? null) : null;
};
const num = (name: string): number | null => {
  const v = opt(name);
  return v === null ? null : Number(v);
};
const log = (line: string): void => {
  process.stderr.write(line + '\n');
};

const run = async (): Promise<unknown> => {
  if (command === 'probe') return { node: process.version, ...(await probeAdapter()) };
  if (command === 'step') return webgpuStep(num('bs') ?? 1024, num('rounds') ?? 3, log);
  if (command === 'epoch')
    return webgpuFirstEpoch({
      bs: num('bs'),
      subset: num('subset'),
      data: opt('data') ?? 'data',
      out: opt('out') ?? 'runs/gpu-check',
      log,
    });
  throw new Error(`usage: check.mjs probe | step | epoch (got '${command}')`);
};

process.stdout.write(JSON.stringify(await run()) + '\n');
// Dawn keeps the event loop alive; the answer is out.
process.exit(0);
