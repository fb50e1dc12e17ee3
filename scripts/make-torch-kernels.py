"""Writes segmentation-core's torch-kernels.pt: a TorchScript module with no parameters whose
methods call libtorch kernels that DJL's JNI does not expose, so that medseg runs them as one fused
kernel (forward and backward) instead of a chain of element-wise DJL operations.

  forward(x, slope) = torch.prelu(x, slope)   (PReLU with one slope per channel, as nn.PReLU)

Run with Debian's python3-torch (1.13); the archive is byte-for-byte the same on every run (no
time stamps), and libtorch 2.x loads it. Usage: python3 scripts/make-torch-kernels.py [OUTPUT]"""
import sys

import torch


class TorchKernels(torch.nn.Module):
    def forward(self, x: torch.Tensor, slope: torch.Tensor) -> torch.Tensor:
        return torch.prelu(x, slope)


default = "segmentation-core/src/main/resources/io/medseg/core/nn/torch-kernels.pt"
torch.jit.script(TorchKernels()).save(sys.argv[1] if len(sys.argv) > 1 else default)
