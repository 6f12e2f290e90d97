"""Loads a gradsheet model exported as safetensors into the lesson's PyTorch model with
load_state_dict(strict=True) and prints its logits (eval mode) on the given images as JSON.
Usage: /usr/bin/python3 bench/torch_forward.py MODEL FILE.safetensors IMAGES.json
IMAGES.json: {"images": [n*784 floats, normalised, row-major]}."""
import json, sys
import torch
from lesson_models import MODELS, load_safetensors

name, path, images = sys.argv[1], sys.argv[2], sys.argv[3]
model = MODELS[name]()
model.load_state_dict(load_safetensors(path), strict=True)
model.eval()
x = torch.tensor(json.load(open(images))['images'], dtype=torch.float32).reshape(-1, 1, 28, 28)
with torch.no_grad():
    logits = model(x)
print(json.dumps({'torch': torch.__version__, 'logits': logits.flatten().tolist()}))
