#!/usr/bin/python3
"""Regenerates tests/optimizers/fixtures/rule-references.json from PyTorch's optimizers.

Each case runs one torch.optim optimizer in float64 on a 6-element parameter for 40 steps,
with gradients 2*(p - target) plus a deterministic wiggle, and records the gradient fed at
every step and the parameter after it. tests/optimizers/library-references.test.ts feeds
the same gradients to the rule-language text of the same name (src/optimizers/library.ts)
and compares the parameters.

Run with Debian's python3-torch, then format the JSON as the repository does:
    /usr/bin/python3 scripts/rule-references.py
    npx prettier --write tests/optimizers/fixtures/rule-references.json
"""
import inspect
import json
import math
import pathlib
import textwrap

import torch

# Optimizer state such as NAdam's mu_product is made with the default dtype: float64 too.
torch.set_default_dtype(torch.float64)

STEPS = 40
P0 = [math.sin(i + 1.0) for i in range(6)]
TARGET = [0.5 * math.cos(3.0 * i) for i in range(6)]

# library name -> (torch optimizer factory, hyperparameters under gradsheet's names, torch call as text)
CASES = {
    "nesterov": (
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
        {"lr": 0.05, "beta1": 0.9},
        "SGD(lr=0.05, momentum=0.9, nesterov=True)",
    ),
    "adagrad": (
        lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-10),
        {"lr": 0.1, "eps": 1e-10},
        "Adagrad(lr=0.1, eps=1e-10)",
    ),
    "adamax": (
        lambda p: torch.optim.Adamax(p, lr=0.02, betas=(0.9, 0.999), eps=1e-8),
        {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "Adamax(lr=0.02, betas=(0.9, 0.999), eps=1e-8)",
    ),
    "amsgrad": (
        lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.9, 0.999), eps=1e-8, amsgrad=True),
        {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "Adam(lr=0.02, betas=(0.9, 0.999), eps=1e-8, amsgrad=True)",
    ),
    "nadam": (
        lambda p: torch.optim.NAdam(p, lr=0.02, betas=(0.9, 0.999), eps=1e-8, momentum_decay=0.004, foreach=False),
        {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentumDecay": 0.004},
        "NAdam(lr=0.02, betas=(0.9, 0.999), eps=1e-8, momentum_decay=0.004)",
    ),
    "radam": (
        lambda p: torch.optim.RAdam(p, lr=0.02, betas=(0.9, 0.999), eps=1e-8),
        {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
        "RAdam(lr=0.02, betas=(0.9, 0.999), eps=1e-8)",
    ),
    "adamw": (
        lambda p: torch.optim.AdamW(p, lr=0.02, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01),
        {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": 0.01},
        "AdamW(lr=0.02, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)",
    ),
}


NADAM_BUG = "mu_product_next = mu_product * mu * mu_next"


def fix_nadam():
    """PyTorch before 2.0 multiplied mu in twice when forming the next momentum product
    (fixed upstream by pytorch/pytorch#92699); Debian's 1.13 still has it. Apply the same
    one-line fix in this process so the reference is the paper's and today's PyTorch's NAdam.
    Returns a note for the fixture, or None if this torch is already fixed."""
    import torch.optim.nadam as nadam

    src = inspect.getsource(nadam._single_tensor_nadam)
    if NADAM_BUG not in src:
        return None
    fixed = textwrap.dedent(src.replace(NADAM_BUG, "mu_product_next = mu_product * mu_next"))
    scope = dict(vars(nadam))
    exec(compile(fixed, nadam.__file__, "exec"), scope)
    nadam._single_tensor_nadam = scope["_single_tensor_nadam"]
    return "nadam: torch < 2.0 single-tensor NAdam patched with the fix of pytorch/pytorch#92699"


def run(make):
    p = torch.tensor(P0, dtype=torch.float64, requires_grad=True)
    opt = make([p])
    grads, params = [], []
    for t in range(1, STEPS + 1):
        with torch.no_grad():
            g = [2.0 * (p[i].item() - TARGET[i]) + 0.3 * math.sin(1.7 * t + i) for i in range(6)]
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        grads.append(g)
        params.append(p.detach().tolist())
    return grads, params


def main():
    note = fix_nadam()
    cases = []
    for name, (make, hyper, call) in CASES.items():
        grads, params = run(make)
        cases.append(
            {"name": name, "torch": f"torch.optim.{call}", "hyper": hyper, "param0": P0, "grads": grads, "params": params}
        )
    out = pathlib.Path(__file__).resolve().parent.parent / "tests/optimizers/fixtures/rule-references.json"
    doc = {
        "generator": "scripts/rule-references.py",
        "torch": torch.__version__,
        "dtype": "float64",
        "notes": [note] if note else [],
        "cases": cases,
    }
    out.write_text(json.dumps(doc) + "\n")
    print(f"wrote {out} ({len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()
