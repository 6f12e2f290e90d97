import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

interface Stage {
  status: string;
  seconds: number;
  result: Record<string, unknown> | null;
  error: string | null;
}
interface Summary {
  settings: { bs: number; subset: number | null; rounds: number; dry: boolean };
  probe: Record<string, unknown>;
  stages: Record<string, Stage>;
  train_ratio_webgpu_over_torch_cuda: number | null;
}

const check = async (env: Record<string, string>): Promise<{ summary: Summary; out: string }> => {
  const out = mkdtempSync(join(tmpdir(), 'gpu-check-'));
  const { stdout } = await exec('bash', ['scripts/gpu-check.sh'], {
    env: { ...process.env, OUT: out, ...env },
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { summary: JSON.parse(last) as Summary, out };
};

const executable = (dir: string, name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
};

describe('scripts/gpu-check.sh', () => {
  it('dry run: one JSON summary on stdout and in $OUT, every stage skipped', async () => {
    const { summary, out } = await check({ GPU_CHECK_DRY: '1', GPU_CHECK_BS: '64' });
    expect(Object.keys(summary.stages)).toEqual([
      'adapter',
      'webgpu_step',
      'torch_cuda_step',
      'webgpu_epoch',
    ]);
    for (const s of Object.values(summary.stages)) {
      expect(s).toMatchObject({ status: 'skipped', result: null, error: 'dry run' });
      expect(s.seconds).toBeLessThanOrEqual(1); // bash's $SECONDS may tick during the stage
    }
    expect(summary.settings).toEqual({ bs: 64, subset: null, rounds: 3, dry: true });
    expect(summary.train_ratio_webgpu_over_torch_cuda).toBeNull();
    const file = JSON.parse(readFileSync(join(out, 'gpu-check.json'), 'utf8')) as Summary;
    expect(file).toEqual(summary);
  });

  it('runs each stage, keeps each answer, escapes a failure and divides the two rates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-check-fake-'));
    writeFileSync(join(dir, 'check.mjs'), '');
    // A stand-in for node running check.mjs, and for a Python whose torch sees CUDA.
    const node = executable(
      dir,
      'node',
      [
        'case $2 in',
        'probe) echo \'{"node":"v0","adapter":"fake gpu","error":null}\' ;;',
        'step) echo "bs $4" >&2; echo \'{"bs":\'$4\',"train_img_s":300}\' ;;',
        'epoch) printf \'broke "here"\\n\\tand there\\n\' >&2; exit 3 ;;',
        'esac',
      ].join('\n'),
    );
    const python = executable(
      dir,
      'python',
      [
        'if [ "$1" = -c ]; then echo "2.5.1 True 12.4"; exit 0; fi',
        'echo \'{"engine":"pytorch cuda","bs":\'$3\',"train_img_s":200}\'',
      ].join('\n'),
    );
    const { summary } = await check({
      GPU_CHECK_BUNDLE: dir,
      GPU_CHECK_NODE: node,
      PYTHON: python,
      GPU_CHECK_BS: '32',
      GPU_CHECK_SUBSET: '256',
    });
    const { adapter, webgpu_step, torch_cuda_step, webgpu_epoch } = summary.stages;
    expect(adapter?.result).toEqual({ node: 'v0', adapter: 'fake gpu', error: null });
    expect(webgpu_step?.status).toBe('ok');
    expect(webgpu_step?.result).toEqual({ bs: 32, train_img_s: 300 });
    expect(torch_cuda_step?.result).toEqual({ engine: 'pytorch cuda', bs: 32, train_img_s: 200 });
    expect(webgpu_epoch?.status).toBe('failed (3)');
    expect(webgpu_epoch?.error).toBe('broke "here"\nand there');
    expect(summary.probe.torch).toBe('2.5.1 (cuda 12.4)');
    expect(summary.probe.cuda).toBe(true);
    expect(summary.settings.subset).toBe(256);
    expect(summary.train_ratio_webgpu_over_torch_cuda).toBe(1.5);
  });

  it('on a machine with nvidia-smi, a software adapter skips the webgpu stages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-check-fake-'));
    writeFileSync(join(dir, 'check.mjs'), '');
    executable(dir, 'nvidia-smi', 'echo "NVIDIA H200, 570.00, 143771 MiB"');
    const node = executable(
      dir,
      'node',
      'echo \'{"adapter":"mesa software llvmpipe: Mesa 25.0.7","error":null}\'',
    );
    const { summary } = await check({
      GPU_CHECK_BUNDLE: dir,
      GPU_CHECK_NODE: node,
      PYTHON: executable(dir, 'python', 'exit 1'), // no torch; and no slow import of a real one
      PATH: `${dir}:${process.env.PATH ?? ''}`,
    });
    expect(summary.probe.nvidia_smi).toBe('NVIDIA H200, 570.00, 143771 MiB');
    expect(summary.probe.glibc).toMatch(/^glibc 2\.\d+$/);
    expect(summary.stages.torch_cuda_step?.error).toBe('no python with torch');
    expect(summary.stages.adapter?.status).toBe('ok');
    for (const name of ['webgpu_step', 'webgpu_epoch'])
      expect(summary.stages[name]).toMatchObject({
        status: 'skipped',
        error: "software adapter on a machine with nvidia-smi: NVIDIA's Vulkan driver is missing",
      });
  });
});
