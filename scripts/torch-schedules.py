#!/usr/bin/python3
"""Regenerates tests/optimizers/fixtures/torch-schedules.json from PyTorch's lr schedulers.

For each case it steps torch.optim.lr_scheduler.CosineAnnealingLR (eta_min 0, T_max = the run's
steps) and OneCycleLR (its defaults: pct_start 0.3, div_factor 25, final_div_factor 1e4, cosine
annealing, momentum cycled 0.95 -> 0.85 -> 0.95) over a whole run, and records the lr, and
OneCycleLR's momentum, in effect at every step (read before the step, as a training loop sees
it). tests/optimizers/torch-schedules.test.ts checks gradsheet's `cosine` and `onecycle`
schedules and the library's schedule formulas against them at every step.

Run with Debian's python3-torch, then format the JSON as the repository does:
    /usr/bin/python3 scripts/torch-schedules.py
    npx prettier --write tests/optimizers/fixtures/torch-schedules.json
"""
import json
import pathlib

import torch

# (lr, total steps): one run's worth of batches each, e.g. 2 epochs x ceil(512/64) = 16.
CASES = [(0.01, 16), (3e-3, 118), (1e-2, 1180)]


def trace(make_sched, lr, total, momentum):
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=lr, momentum=0.9)
    sched = make_sched(opt)
    lrs, moms = [], []
    for _ in range(total):
        lrs.append(opt.param_groups[0]['lr'])
        moms.append(opt.param_groups[0]['momentum'])
        p.grad = torch.ones_like(p)
        opt.step()
        sched.step()
    return {'lr': lrs, 'momentum': moms} if momentum else {'lr': lrs}


cases = []
for lr, total in CASES:
    cases.append({
        'lr': lr,
        'total': total,
        'cosine': trace(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total), lr, total, False),
        'onecycle': trace(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=lr, total_steps=total), lr, total, True),
    })

out = pathlib.Path(__file__).resolve().parent.parent / 'tests/optimizers/fixtures/torch-schedules.json'
out.write_text(json.dumps({'torch': torch.__version__, 'cases': cases}) + '\n')
print(f'wrote {out} ({len(cases)} cases, PyTorch {torch.__version__})')
