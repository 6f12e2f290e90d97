"""Writes tests/training/fixtures/torch-reference.json: PyTorch's own values for the places where
gradsheet's trainer once differed from it (docs/results.md, "Parity with PyTorch"). Layout NHWC,
as tfjs. Usage: /usr/bin/python3 bench/torch_reference.py
- avgPool: nn.AvgPool2d(2, ceil_mode=True) (the ResBlocks' identity path) on 7x7 and 5x5 maps:
  the input, an upstream gradient dy, the output and the input's gradient;
- batchNorm: BatchNorm2d / BatchNorm1d (momentum 0.1, eps 1e-5) from running stats 0 and 1 after
  one forward in training mode: the running mean and variance (the variance update is unbiased)."""
import json, os
import torch
import torch.nn as nn

torch.manual_seed(0)
nhwc = lambda t: t.permute(0, 2, 3, 1).contiguous().flatten().tolist()
out = {'torch': torch.__version__, 'avgPool': [], 'batchNorm': []}
for n, side, c in ((1, 7, 2), (2, 5, 3)):
    x = torch.randn(n, c, side, side, requires_grad=True)
    y = nn.AvgPool2d(2, ceil_mode=True)(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    out['avgPool'].append({'shape': [n, side, side, c], 'outShape': [n, y.shape[2], y.shape[3], c], 'x': nhwc(x.detach()),
                           'dy': nhwc(dy), 'y': nhwc(y.detach()), 'dx': nhwc(x.grad)})
for shape in ((8, 4, 3, 3), (6, 5)):
    x = torch.randn(*shape) * 2 + 3
    bn = (nn.BatchNorm2d if len(shape) == 4 else nn.BatchNorm1d)(shape[1]).train()
    bn(x)
    flat = nhwc(x) if len(shape) == 4 else x.flatten().tolist()
    nhwc_shape = [shape[0], shape[2], shape[3], shape[1]] if len(shape) == 4 else list(shape)
    out['batchNorm'].append({'shape': nhwc_shape, 'x': flat, 'runningMean': bn.running_mean.tolist(),
                             'runningVar': bn.running_var.tolist()})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'training', 'fixtures', 'torch-reference.json')
with open(path, 'w') as f:
    json.dump(out, f)
    f.write('\n')
print(f'wrote {os.path.normpath(path)}')
