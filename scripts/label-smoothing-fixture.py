"""Writes tests/training/additions/label-smoothing.json: PyTorch's label-smoothed cross-entropy
(F.cross_entropy(..., label_smoothing=eps)) and its gradient on fixed logits, for the tfjs loss's
test. Run with a Python that has torch, then format the file:

    /usr/bin/python3 scripts/label-smoothing-fixture.py
    npx prettier --write tests/training/additions/label-smoothing.json
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F

n, classes = 6, 10
# Fixed, spread-out logits (no RNG): sin/cos of the index.
logits = [[round(3 * math.sin(1.7 * r + 0.9 * c) + math.cos(0.3 * r * c), 4) for c in range(classes)]
          for r in range(n)]
targets = [3, 0, 9, 5, 5, 1]
cases = []
for eps in (0.0, 0.1, 0.3):
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    loss = F.cross_entropy(z, torch.tensor(targets), label_smoothing=eps)
    loss.backward()
    cases.append({'eps': eps, 'loss': loss.item(), 'grad': z.grad.flatten().tolist()})
out = pathlib.Path(__file__).resolve().parent.parent / 'tests/training/additions/label-smoothing.json'
out.write_text(json.dumps({'torch': torch.__version__, 'logits': logits, 'targets': targets,
                           'cases': cases}) + '\n')
print(f'wrote {out}')
