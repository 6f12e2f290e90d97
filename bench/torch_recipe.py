"""The lesson's Fashion-MNIST recipe in PyTorch, for the seed table of docs/results.md.

Usage: /usr/bin/python3 bench/torch_recipe.py [--model resnet-small] [--epochs 5] [--lr 1e-2]
       [--seed 42] [--micro N] [--threads 2] [--subset N] [--out FILE.json]

get_model3 (or another of bench/lesson_models.py) with the lesson's init (Kaiming normal, a=0.1,
on conv weights), AdamW with PyTorch's defaults (weight decay 0.01 on every parameter), OneCycleLR
per batch, batch 1024 reshuffled every epoch with the last batch of 608 kept, validation on the
10,000 test images. `--micro N` runs each batch as micro-batches of N with the gradients
accumulated, so BatchNorm normalises N images at a time, as gradsheet does on wasm. Prints one
line per epoch and writes a JSON with the per-epoch accuracy and seconds."""
import gzip, json, math, os, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from lesson_models import MODELS

opts = {'model': 'resnet-small', 'epochs': '5', 'lr': '1e-2', 'seed': '42', 'micro': '0',
        'threads': '2', 'subset': '0', 'out': ''}
argv = sys.argv[1:]
for i in range(0, len(argv), 2):
    key = argv[i].lstrip('-')
    if key not in opts or i + 1 >= len(argv):
        sys.exit(f'torch_recipe.py: unknown or incomplete option {argv[i]}; options: {", ".join(opts)}')
    opts[key] = argv[i + 1]
epochs, lr, seed, micro = int(opts['epochs']), float(opts['lr']), int(opts['seed']), int(opts['micro'])
torch.set_num_threads(int(opts['threads']))
torch.manual_seed(seed)
np.random.seed(seed)

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
def read(name, offset):
    with gzip.open(os.path.join(root, name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
def images(name):
    x = read(name, 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    return torch.from_numpy((x - 0.28) / 0.35)
xt, yt = images('train-images-idx3-ubyte.gz'), torch.from_numpy(read('train-labels-idx1-ubyte.gz', 8).astype(np.int64))
if int(opts['subset']) > 0:  # a quick try on the first N training images
    xt, yt = xt[:int(opts['subset'])], yt[:int(opts['subset'])]
xv, yv = images('t10k-images-idx3-ubyte.gz'), torch.from_numpy(read('t10k-labels-idx1-ubyte.gz', 8).astype(np.int64))

model = MODELS[opts['model']]()
for m in model.modules():
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, a=0.1)
bs = 1024
steps = math.ceil(len(xt) / bs)
opt = torch.optim.AdamW(model.parameters(), lr=lr)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps)

log = []
for epoch in range(epochs):
    t0 = time.time()
    model.train()
    perm = torch.randperm(len(xt))
    for s in range(steps):
        idx = perm[s * bs:(s + 1) * bs]
        parts = [idx] if micro <= 0 else list(idx.split(micro))
        for p in parts:
            loss = F.cross_entropy(model(xt[p]), yt[p]) * (len(p) / len(idx))
            loss.backward()
        opt.step()
        opt.zero_grad()
        sched.step()
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(xv[i:i + 2048]) for i in range(0, len(xv), 2048)])
    acc = (logits.argmax(1) == yv).float().mean().item()
    vloss = F.cross_entropy(logits, yv).item()
    log.append({'epoch': epoch + 1, 'accuracy': acc, 'loss': vloss, 'seconds': time.time() - t0})
    print(f'epoch {epoch + 1}: accuracy {acc:.4f} loss {vloss:.4f} {time.time() - t0:.0f}s', flush=True)

result = {'engine': f'pytorch {torch.__version__}', 'options': opts, 'epochs': log,
          'accuracy': log[-1]['accuracy'], 'seconds': sum(l['seconds'] for l in log)}
if opts['out']:
    with open(opts['out'], 'w') as f:
        json.dump(result, f, indent=2)
print(json.dumps({'accuracy': result['accuracy'], 'seconds': result['seconds']}))
