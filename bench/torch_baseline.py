"""PyTorch baseline for `npm run bench:train`: the lesson's resnet-small (get_model3) on random
data, AdamW, as in 14_augment. Prints one JSON line: train and inference images per second.
Arguments: threads, batch size, rounds, and optionally the device (cpu, or cuda: exits 3 without one)
and `serve`: then, after one warm-up, it times `rounds` training steps for every line read on
stdin and prints one JSON line each, so that a caller can interleave it with another engine."""
import json, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

threads, bs, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
device = sys.argv[4] if len(sys.argv) > 4 else 'cpu'
if device == 'cuda' and not torch.cuda.is_available():
    sys.exit(3)
torch.set_num_threads(threads)
torch.manual_seed(42)

class GeneralRelu(nn.Module):
    def forward(self, x): return F.leaky_relu(x, 0.1) - 0.4

def conv(ni, nf, ks=3, stride=2, act=True, norm=True):
    layers = [nn.Conv2d(ni, nf, ks, stride=stride, padding=ks // 2)]
    if norm: layers.append(nn.BatchNorm2d(nf))
    if act: layers.append(GeneralRelu())
    return nn.Sequential(*layers)

class ResBlock(nn.Module):
    def __init__(self, ni, nf, stride=1, ks=3):
        super().__init__()
        self.convs = nn.Sequential(conv(ni, nf, ks, 1), conv(nf, nf, ks, stride, act=False))
        self.idconv = nn.Identity() if ni == nf else conv(ni, nf, 1, 1, act=False, norm=False)
        self.pool = nn.Identity() if stride == 1 else nn.AvgPool2d(2, ceil_mode=True)
        self.act = GeneralRelu()
    def forward(self, x): return self.act(self.convs(x) + self.idconv(self.pool(x)))

nfs = (16, 32, 64, 128, 256)
model = nn.Sequential(ResBlock(1, 16, ks=5), *[ResBlock(nfs[i], nfs[i + 1], 2) for i in range(len(nfs) - 1)],
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(256, 10, bias=False), nn.BatchNorm1d(10))
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
