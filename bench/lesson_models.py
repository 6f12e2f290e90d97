"""The lesson's models in PyTorch, as notebooks 12-14 (and lesson 19's get_dropmodel) define them,
under gradsheet's model names, and a safetensors reader that needs only torch (the `safetensors`
package is used when it is installed). Imported by bench/torch_forward.py and bench/parity_steps.py."""
import json, struct
import torch
import torch.nn as nn
import torch.nn.functional as F


class GeneralRelu(nn.Module):
    def __init__(self, leak=0.1, sub=0.4):
        super().__init__()
        self.leak, self.sub = leak, sub

    def forward(self, x): return F.leaky_relu(x, self.leak) - self.sub


def conv(ni, nf, ks=3, stride=2, act=True, norm=True, bias=True):
    layers = [nn.Conv2d(ni, nf, ks, stride=stride, padding=ks // 2, bias=bias)]
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


class GlobalAvgPool(nn.Module):
    def forward(self, x): return x.mean((-2, -1))


def blocks(nfs): return [ResBlock(nfs[i], nfs[i + 1], 2) for i in range(len(nfs) - 1)]


def head(nf, drop=0.0):
    return ([nn.Dropout(drop)] if drop else []) + [nn.Linear(nf, 10, bias=False), nn.BatchNorm1d(10)]


def get_cnn():  # 12_accel_sgd
    nfs = [1, 8, 16, 32, 64]
    return nn.Sequential(*[conv(nfs[i], nfs[i + 1]) for i in range(4)], conv(64, 10, act=False, norm=False), nn.Flatten())


def get_deep_cnn():  # 13_resnet
    nfs = [8, 16, 32, 64, 128]
    return nn.Sequential(conv(1, 8, stride=1), *[conv(nfs[i], nfs[i + 1]) for i in range(4)],
                         conv(128, 10, act=False), nn.Flatten())


MODELS = {
    'cnn': get_cnn,
    'deep-cnn': get_deep_cnn,
    'resnet': lambda: nn.Sequential(ResBlock(1, 8), *blocks((8, 16, 32, 64, 128, 256)), nn.Flatten(), *head(256)),
    'resnet-wide': lambda: nn.Sequential(ResBlock(1, 16, ks=5), *blocks((16, 32, 64, 128, 256, 512)), nn.Flatten(), *head(512)),
    'resnet-gap': lambda: nn.Sequential(ResBlock(1, 16, ks=5), *blocks((16, 32, 64, 128, 256)), ResBlock(256, 512),
                                        GlobalAvgPool(), *head(512)),
    'resnet-small': lambda: nn.Sequential(ResBlock(1, 16, ks=5), *blocks((16, 32, 64, 128, 256)), GlobalAvgPool(), *head(256)),
    'resnet-stem': lambda: nn.Sequential(conv(1, 16, ks=5, stride=1), *blocks((16, 32, 64, 128, 256)), GlobalAvgPool(), *head(256)),
    'resnet-drop': lambda: nn.Sequential(ResBlock(1, 16, ks=5), nn.Dropout2d(0.1), *blocks((16, 32, 64, 128, 256, 512)),
                                         nn.Flatten(), *head(512, 0.1)),
}


def load_safetensors(path):
    """The tensors of a safetensors file, by name (F32 and I64)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    with open(path, 'rb') as f:
        b = f.read()
    n = struct.unpack('<Q', b[:8])[0]
    header, base = json.loads(b[8:8 + n]), 8 + n
    dtypes = {'F32': torch.float32, 'I64': torch.int64}
    out = {}
    for k, v in header.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        out[k] = torch.frombuffer(bytearray(b[base + s:base + e]), dtype=dtypes[v['dtype']]).reshape(v['shape']).clone()
    return out


def save_safetensors(tensors, path):
    """Writes float32/int64 tensors as a safetensors file (header padded to 8 bytes, as the reference writer)."""
    header, chunks, offset = {}, [], 0
    for k, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[k] = {'dtype': {torch.float32: 'F32', torch.int64: 'I64'}[t.dtype], 'shape': list(t.shape),
                     'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(',', ':'))
    h += ' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h.encode() + b''.join(chunks))
