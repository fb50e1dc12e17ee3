"""Golden values of whole networks for medseg's layer-equality tests: a PyTorch twin from
torch_networks.py with random weights (PReLU slopes and norm affines included), one input, its
output, a random upstream gradient and the input gradient, in double precision, and the
parameters in registration order (= DJL's getParameters() order)."""
import json

import torch


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def entry(t):
    return {"shape": list(t.shape), "data": flat(t)}


def network_case(model, input_shape, config):
    torch.set_default_dtype(torch.float64)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1 and ("weight" in name and p.shape[0] > 0):
                p.uniform_(0.05, 0.5) if is_prelu(model, name) else p.uniform_(0.5, 1.5)
            else:
                p.normal_(0, (2.0 / max(1, p[0].numel())) ** 0.5)
    model.train()  # instance norm and dropout-free nets behave the same in train and eval
    x = torch.randn(*input_shape, requires_grad=True)
    out = model(x)
    upstream = torch.randn(*out.shape)
    (out * upstream).sum().backward()
    return {"config": config, "x": entry(x), "out": entry(out), "upstream": entry(upstream),
            "grad_x": entry(x.grad), "parameters": [entry(p) for p in model.parameters()]}


def is_prelu(model, name):
    module = model
    for part in name.split(".")[:-1]:
        module = getattr(module, part)
    return isinstance(module, torch.nn.PReLU)


def save(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f)
        f.write("\n")
