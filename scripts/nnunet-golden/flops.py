"""Golden forward FLOPs for NnUNetArchitecture.forwardFlops: the networks of network.py's cases.json,
counted with forward hooks on every convolution and transposed convolution of dynamic-network-
architectures' own modules (2 x multiply-adds; the deep-supervision heads are not built). Run in the venv
of scripts/nnunet/make-fixtures.sh:

  /work/nnunet-venv/bin/python scripts/nnunet-golden/flops.py nnunet-import/src/test/resources/nnunet/network"""
import json
import math
import os
import pydoc
import sys

import torch
from dynamic_network_architectures.architectures.unet import PlainConvUNet, ResidualEncoderUNet

folder = sys.argv[1]
cases = json.load(open(os.path.join(folder, 'cases.json')))['cases']
sizes = {'plain3d': [(8, 16, 16), (16, 32, 48)], 'plain2d': [(32, 24), (64, 96)], 'resenc3d': [(8, 16, 16), (16, 32, 48)]}
out = {}
for name, c in cases.items():
    kwargs = dict(c['architecture']['arch_kwargs'])
    for k in ('conv_op', 'norm_op', 'dropout_op', 'nonlin'):
        if kwargs[k] is not None:
            kwargs[k] = pydoc.locate(kwargs[k])
    cls = ResidualEncoderUNet if c['architecture']['network_class_name'].endswith('ResidualEncoderUNet') else PlainConvUNet
    net = cls(input_channels=c['channels'], num_classes=c['classes'], deep_supervision=False, **kwargs).eval()
    total = [0]

    def conv_hook(m, inp, outp):
        total[0] += 2 * outp.numel() * (m.in_channels // m.groups) * math.prod(m.kernel_size)

    def transposed_hook(m, inp, outp):
        total[0] += 2 * inp[0].numel() * m.out_channels * math.prod(m.kernel_size)

    for m in net.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Conv3d)):
            m.register_forward_hook(conv_hook)
        elif isinstance(m, (torch.nn.ConvTranspose2d, torch.nn.ConvTranspose3d)):
            m.register_forward_hook(transposed_hook)
    out[name] = {}
    for size in sizes[name]:
        total[0] = 0
        with torch.no_grad():
            net(torch.zeros(1, c['channels'], *size))
        out[name]['x'.join(map(str, size))] = total[0]
with open(os.path.join(folder, 'flops.json'), 'w') as f:
    json.dump(out, f, indent=1)
print(out)
