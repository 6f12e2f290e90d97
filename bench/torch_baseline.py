"""PyTorch baseline for `npm run bench:train`: the lesson's resnet-small (get_model3) on random
data, AdamW, as in 14_augment. Prints one JSON line: train and inference images per second.
Arguments: threads, batch size, rounds, and optionally the device (cpu, or cuda: exits 3 without one)
and `serve`: then, after one warm-up, it times `rounds` training steps for every line read on
stdin and prints one JSON line each, so that a caller can interleave it with another engine."""
import json, statistics, sys, time
import torch
import torch.nn.functional as F
from lesson_models import MODELS

threads, bs, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
device = sys.argv[4] if len(sys.argv) > 4 else 'cpu'
if device == 'cuda' and not torch.cuda.is_available():
    sys.exit(3)
torch.set_num_threads(threads)
torch.manual_seed(42)

model = MODELS['resnet-small']()  # get_model3, as in bench/lesson_models.py
assert sum(p.numel() for p in model.parameters()) == 1231428
model = model.to(device)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
x = torch.randn(bs, 1, 28, 28, device=device)
y = torch.randint(0, 10, (bs,), device=device)
sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)

def step():
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    opt.zero_grad()

def rate(f, n):
    for _ in range(3):
        f()
    times = []
    for _ in range(n):
        sync(); t0 = time.perf_counter(); f(); sync(); times.append(time.perf_counter() - t0)
    return bs / statistics.median(times)

if len(sys.argv) > 5 and sys.argv[5] == 'serve':
    model.train()
    rate(step, 1)
    print(json.dumps({"engine": f"pytorch {torch.__version__} {device}", "threads": threads, "bs": bs, "ready": True}), flush=True)
    for _ in sys.stdin:
        print(json.dumps({"train_img_s": rate(step, rounds)}), flush=True)
    sys.exit(0)

model.train()
train = rate(step, rounds)
model.eval()
with torch.no_grad():
    infer = rate(lambda: model(x), rounds)
print(json.dumps({"engine": f"pytorch {torch.__version__} {device}", "threads": threads, "bs": bs, "train_img_s": train, "infer_img_s": infer}))
