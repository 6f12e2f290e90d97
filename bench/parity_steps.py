"""Repeats bench/parity-steps.ts in PyTorch from the same initial weights and data order, and
compares the two trainers step by step.

Usage: /usr/bin/python3 bench/parity_steps.py [DIR (runs/parity)] [--threads 1]

Reads DIR/init.safetensors, order.json and steps.json (gradsheet's run), trains the lesson's
get_model3 with PyTorch's AdamW (β 0.9/0.999, ε 1e-8, wd 0.01 on every parameter, as the lesson)
and OneCycleLR(max_lr 1e-2, 5 epochs × 59 steps) twice: BatchNorm over the whole batch, and over
micro-batches the size gradsheet used with the gradients accumulated (as gradsheet does). Prints,
per step, both losses beside gradsheet's, the largest relative difference of a parameter's
gradient norm, and of a BatchNorm running statistic (relative L2 over its channels); then the first step's gradients parameter by
parameter (relative L2 error against PyTorch micro-batched and whole-batch), and the weights after
the last step. The step table and the final weights are compared with PyTorch whole-batch when
gradsheet ran on worker threads with BatchNorm over the whole batch (steps.json's syncBatchNorm),
with PyTorch micro-batched otherwise.
Writes DIR/torch-<mode>.json with the same fields as steps.json."""
import gzip, json, math, os, sys
import numpy as np
import torch
import torch.nn.functional as F
from lesson_models import MODELS, load_safetensors

args = [a for a in sys.argv[1:]]
threads = 1
if '--threads' in args:
    i = args.index('--threads'); threads = int(args[i + 1]); del args[i:i + 2]
out = args[0] if args else 'runs/parity'
torch.set_num_threads(threads)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')


def idx_images(name):
    with gzip.open(os.path.join(root, name)) as f:
        b = f.read()
    return np.frombuffer(b, dtype=np.uint8, offset=16).reshape(-1, 784)


def idx_labels(name):
    with gzip.open(os.path.join(root, name)) as f:
        b = f.read()
    return np.frombuffer(b, dtype=np.uint8, offset=8)


images, labels = idx_images('train-images-idx3-ubyte.gz'), idx_labels('train-labels-idx1-ubyte.gz')
order = json.load(open(os.path.join(out, 'order.json')))
ours = json.load(open(os.path.join(out, 'steps.json')))
micro, bs = ours['micro'], ours['bs']
# gradsheet's worker threads with synced BatchNorm normalise the whole batch: compare with that
ref = 'whole' if ours.get('syncBatchNorm') else 'micro'
steps = len(ours['steps'])
init = load_safetensors(os.path.join(out, 'init.safetensors'))


def batch(idx):
    # gradsheet's normalise(): x·(1/(255·0.35)) − 0.28/0.35 in float64, stored as float32
    x = images[idx].astype(np.float64) * (1 / (255 * 0.35)) - 0.28 / 0.35
    return torch.from_numpy(x.astype(np.float32)).reshape(-1, 1, 28, 28), torch.from_numpy(labels[idx].astype(np.int64))


def train(mode):
    model = MODELS['resnet-small']()
    model.load_state_dict(init, strict=True)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=5 * math.ceil(60000 / bs))
    names = dict((p, k) for k, p in model.named_parameters())
    rows, grads0 = [], None
    for step in range(steps):
        x, y = batch(order[step])
        n = len(y)
        lr, beta1 = opt.param_groups[0]['lr'], opt.param_groups[0]['betas'][0]
        pieces = [(0, n)] if mode == 'whole' else [(s, min(n, s + micro)) for s in range(0, n, micro)]
        loss_sum = 0.0
        for s, e in pieces:
            loss = F.cross_entropy(model(x[s:e]), y[s:e]) * ((e - s) / n)
            loss.backward()
            loss_sum += loss.item()
        if step == 0:
            grads0 = {names[p]: p.grad.detach().clone() for p in model.parameters()}
        norms = {names[p]: p.grad.norm().item() for p in model.parameters()}
        opt.step(); opt.zero_grad(); sched.step()
        bn = {k: v.tolist() for k, v in model.state_dict().items() if k.endswith(('running_mean', 'running_var'))}
        rows.append({'step': step, 'loss': loss_sum, 'lr': lr, 'beta1': beta1, 'gradNorms': norms, 'bn': bn})
    json.dump({'engine': f'pytorch {torch.__version__}', 'mode': mode, 'steps': rows},
              open(os.path.join(out, f'torch-{mode}.json'), 'w'))
    return rows, grads0, {k: v.detach().clone() for k, v in model.state_dict().items()}


def rel(a, b): return abs(a - b) / max(abs(b), 1e-12)


def l2(a, b): return float(np.linalg.norm(np.subtract(a, b)) / max(np.linalg.norm(b), 1e-12))


# A conv bias followed by BatchNorm has a zero gradient (BatchNorm subtracts the mean): only noise to compare.
def before_bn(k): return k.startswith(tuple(f'{i}.convs.{j}.0.bias' for i in range(5) for j in range(2)))


runs = {mode: train(mode) for mode in ('micro', 'whole')}
print(f"{ours['engine']} vs PyTorch {torch.__version__}; batch {bs}, gradsheet's micro-batches {micro}"
      f"{' on ' + str(ours['workers']) + ' workers' if ours.get('workers', 1) > 1 else ''}"
      f"{', BatchNorm over the whole batch' if ref == 'whole' else ''}; {steps} steps; Δ against torch {ref}")
print(f"{'step':>4} {'lr':>9} {'loss gradsheet':>15} {'torch micro':>12} {'torch whole':>12} "
      f"{'max rel Δ|g|':>13} {'(param)':<22} {'max rel Δ BN running stat (L2)'}")
for i, row in enumerate(ours['steps']):
    tm, tw = runs['micro'][0][i], runs['whole'][0][i]
    tr = runs[ref][0][i]
    assert abs(row['lr'] - tm['lr']) < 1e-9 * max(1, tm['lr']) and abs(row['beta1'] - tm['beta1']) < 1e-9, \
        f"schedule differs at step {i}: {row['lr']}/{row['beta1']} vs {tm['lr']}/{tm['beta1']}"
    g = max(((rel(v, tr['gradNorms'][k]), k) for k, v in row['gradNorms'].items() if not before_bn(k)))
    b = max((l2(v, tr['bn'][k]), k) for k, v in row['bn'].items())
    print(f"{i:>4} {row['lr']:>9.3e} {row['loss']:>15.6f} {tm['loss']:>12.6f} {tw['loss']:>12.6f} {g[0]:>13.2e} {g[1]:<22} {b[0]:>10.2e} {b[1]}")

ours0 = load_safetensors(os.path.join(out, 'grads0.safetensors'))
print('\nfirst step, gradient of each parameter: ‖g_gradsheet − g_torch‖/‖g_torch‖ (torch micro-batched; whole batch;'
      ' conv biases before a BatchNorm left out: their gradient is zero)')
for k, gt in runs['micro'][1].items():
    if before_bn(k): continue
    e = ((ours0[k] - gt).norm() / gt.norm()).item()
    w = ((ours0[k] - runs['whole'][1][k]).norm() / runs['whole'][1][k].norm()).item()
    flag = '  <--' if (w if ref == 'whole' else e) > 1e-3 else ''
    print(f"  {k:<26} {e:9.2e} {w:9.2e}{flag}")
final = load_safetensors(os.path.join(out, 'final.safetensors'))
worst = max((((final[k].float() - v.float()).norm() / max(v.float().norm(), 1e-12)).item(), k)
            for k, v in runs[ref][2].items() if v.dtype == torch.float32)
print(f"\nweights after step {steps - 1}: largest relative L2 difference from torch {ref}: {worst[0]:.2e} ({worst[1]})")
