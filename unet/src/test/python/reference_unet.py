#!/usr/bin/env python3
"""Reference U-Net in PyTorch (Debian's python3-torch) with the layout of io.medseg.unet.UNet:
two 3x3 conv (no bias) + BatchNorm + ReLU per level, max-pool 2, ConvTranspose 2x2 to the level's
filters, concat skip, 1x1 output conv. Prints the parameter count and forward GFLOP that the tests
and the benchmark compare against.   Run: /usr/bin/python3 unet/src/test/python/reference_unet.py
"""
import torch
import torch.nn as nn


def two_convs(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class Level(nn.Module):
    def __init__(self, d, depth, cin, base):
        super().__init__()
        f = base << d
        self.enc = two_convs(cin, f)
        self.deeper = None
        if d < depth:
            self.deeper = nn.Sequential(nn.MaxPool2d(2), Level(d + 1, depth, f, base),
                                        nn.ConvTranspose2d(f * 2, f, 2, stride=2))
            self.dec = two_convs(2 * f, f)

    def forward(self, x):
        x = self.enc(x)
        if self.deeper is None:
            return x
        return self.dec(torch.cat([x, self.deeper(x)], 1))


def unet(depth, base, cin, classes):
    return nn.Sequential(Level(0, depth, cin, base), nn.Conv2d(base, classes, 1))


def conv_flops(model, size):
    flops = 0

    def hook(m, inp, out):
        nonlocal flops
        if isinstance(m, nn.Conv2d):
            flops += 2 * out.numel() * m.in_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups
        elif isinstance(m, nn.ConvTranspose2d):
            flops += 2 * inp[0].numel() * m.out_channels * m.kernel_size[0] * m.kernel_size[1]

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model(torch.zeros(1, 1, size, size))
    for h in handles:
        h.remove()
    return flops


if __name__ == "__main__":
    paper = unet(4, 64, 1, 2)
    print("paper U-Net (depth 4, base 64, 1 -> 2): trainable parameters", sum(p.numel() for p in paper.parameters()))
    bench = unet(4, 32, 1, 2)
    print("bench U-Net (depth 4, base 32) forward GFLOP per 256x256 image: %.4f" % (conv_flops(bench, 256) / 1e9))
