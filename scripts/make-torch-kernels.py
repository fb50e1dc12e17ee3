"""Writes segmentation-core's TorchScript kernels: modules with no parameters whose forward calls
libtorch operations that DJL's JNI does not expose, so that medseg runs them as one module call
(forward and backward inside libtorch) instead of a chain of DJL operations.

  prelu.pt                   forward(x, slope) = torch.prelu(x, slope)   (one slope per channel, as nn.PReLU)
  transposed-convolution.pt  forward(x, w, b)  = conv_transpose{2,3}d(x, w, b, stride=kernel), in the input's layout
  to-bfloat16.pt             forward(x)        = x as bfloat16, stored channels-last (4 and 5 axes)
  to-float32.pt              forward(x)        = x as float32, stored in the default order

Run with Debian's python3-torch (1.13); the archives are byte-for-byte the same on every run (no
time stamps), and libtorch 2.x loads them. Usage: python3 scripts/make-torch-kernels.py [FOLDER]"""
import os
import sys
from typing import List

import torch


class Prelu(torch.nn.Module):
    def forward(self, x: torch.Tensor, slope: torch.Tensor) -> torch.Tensor:
        return torch.prelu(x, slope)


class TransposedConvolution(torch.nn.Module):
    """Kernel = stride, no padding, any number of spatial axes: the output windows do not overlap, so
    out[n, o, i·k + a] = Σ_c x[n, c, i] · w[c, o, a] + b[o] is one batched matrix product with the bias
    fused (C_out·Πk rows) and a depth-to-space rearrangement. Exact (0 difference in float64 against
    conv_transpose3d) and, forward plus backward over a 3D U-Net's five up-steps at 96³, 0.72 s
    against 0.91 s for conv_transpose3d and 1.03 s for a 1×1 convolution (torch 1.13, 2 cores)."""

    def forward(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        if x.dim() == 4 and x.is_contiguous(memory_format=torch.channels_last) \
                or x.dim() == 5 and x.is_contiguous(memory_format=torch.channels_last_3d):
            return channels_last_transposed_convolution(x, w, b)
        n = x.size(0)
        c_in = x.size(1)
        c_out = w.size(1)
        dims = x.dim() - 2
        k: List[int] = w.shape[2:]
        s: List[int] = x.shape[2:]
        taps = 1
        voxels = 1
        for i in range(dims):
            taps *= k[i]
            voxels *= s[i]
        rows = c_out * taps
        w1 = w.reshape(c_in, rows).t().expand(n, rows, c_in)
        b1 = b.repeat_interleave(taps).reshape(1, rows, 1).expand(n, rows, voxels)
        y = torch.baddbmm(b1, w1, x.reshape(n, c_in, voxels))
        # (N, C_out, k1..kn, S1..Sn) → (N, C_out, S1, k1, ..., Sn, kn) → (N, C_out, S1·k1, ..., Sn·kn)
        split: List[int] = [n, c_out]
        order: List[int] = [0, 1]
        merged: List[int] = [n, c_out]
        for i in range(dims):
            split.append(k[i])
        for i in range(dims):
            split.append(s[i])
            order.append(2 + dims + i)
            order.append(2 + i)
            merged.append(s[i] * k[i])
        return y.reshape(split).permute(order).reshape(merged)


def channels_last_transposed_convolution(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The same product for an input stored channels-last (N, S..., C in memory), giving an output stored
    channels-last: (N·S, C_in) × (C_in, k·C_out) with the bias fused, then (N, S1, k1, ..., C_out) laid out
    and viewed as (N, C_out, S1·k1, ...), one copy as in the default layout."""
    n = x.size(0)
    c_in = x.size(1)
    c_out = w.size(1)
    dims = x.dim() - 2
    k: List[int] = w.shape[2:]
    s: List[int] = x.shape[2:]
    taps = 1
    voxels = 1
    for i in range(dims):
        taps *= k[i]
        voxels *= s[i]
    to_last: List[int] = [0]
    w_order: List[int] = [0]
    for i in range(dims):
        to_last.append(2 + i)
        w_order.append(2 + i)
    to_last.append(1)
    w_order.append(1)
    rows = x.permute(to_last).reshape(n * voxels, c_in)
    w1 = w.permute(w_order).reshape(c_in, taps * c_out)
    y = torch.addmm(b.repeat(taps), rows, w1)
    # (N, S1..Sn, k1..kn, C_out) → (N, S1, k1, ..., Sn, kn, C_out) → (N, S1·k1, ..., C_out) → (N, C_out, ...)
    split: List[int] = [n]
    order: List[int] = [0]
    merged: List[int] = [n]
    back: List[int] = [0, dims + 1]
    for i in range(dims):
        split.append(s[i])
    for i in range(dims):
        split.append(k[i])
        order.append(1 + i)
        order.append(1 + dims + i)
        merged.append(s[i] * k[i])
        back.append(1 + i)
    split.append(c_out)
    order.append(1 + 2 * dims)
    merged.append(c_out)
    return y.reshape(split).permute(order).reshape(merged).permute(back)


class ToBfloat16(torch.nn.Module):
    """The tensor as bfloat16 stored channels-last (N, S..., C in memory) when it has 4 or 5 axes:
    oneDNN's layout for bf16 convolutions. DJL's JNI cannot make bf16 tensors itself."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x.to(torch.bfloat16)
        if y.dim() == 4:
            return y.contiguous(memory_format=torch.channels_last)
        if y.dim() == 5:
            return y.contiguous(memory_format=torch.channels_last_3d)
        return y


class ToFloat32(torch.nn.Module):
    """The tensor as float32 stored in the default order (N, C, S...), as Java reads a tensor's bytes."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.contiguous().to(torch.float32)


folder = sys.argv[1] if len(sys.argv) > 1 else "segmentation-core/src/main/resources/io/medseg/core/nn"
torch.jit.script(Prelu()).save(os.path.join(folder, "prelu.pt"))
torch.jit.script(TransposedConvolution()).save(os.path.join(folder, "transposed-convolution.pt"))
torch.jit.script(ToBfloat16()).save(os.path.join(folder, "to-bfloat16.pt"))
torch.jit.script(ToFloat32()).save(os.path.join(folder, "to-float32.pt"))
