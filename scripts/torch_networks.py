"""PyTorch twins of medseg's networks, module for module, so that parameters registered in the
same order as DJL's blocks (own parameters first, then children in order) can be copied one to
one: a V-Net (io.medseg.vnet.VNet) and nnU-Net's plain U-Net (io.medseg.unet.PlainUNet).
Used by the golden-value scripts of the vnet and unet modules and by bench-pytorch-reference.py.
Needs Debian's python3-torch (1.13).
"""
import torch
import torch.nn as nn

CONV = {2: nn.Conv2d, 3: nn.Conv3d}
UP = {2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}
NORM = {2: nn.InstanceNorm2d, 3: nn.InstanceNorm3d}
BATCH = {2: nn.BatchNorm2d, 3: nn.BatchNorm3d}


def norm_layer(kind, dims, channels):
    if kind == "NONE":
        return None
    if kind == "INSTANCE":
        return NORM[dims](channels, affine=True, eps=1e-5)
    return BATCH[dims](channels, momentum=0.1, eps=1e-5)


def activation(kind, channels):
    return {"PRELU": lambda: nn.PReLU(channels), "LEAKY_RELU": lambda: nn.LeakyReLU(0.01),
            "RELU": nn.ReLU, "NONE": lambda: None}[kind]()


def seq(*modules):
    return nn.Sequential(*[m for m in modules if m is not None])


def conv_block(dims, cin, cout, kernel, stride, bias, norm, act):
    """medseg's ConvBlock: conv ("same" padding for odd kernels, none for kernel = stride) -> norm -> act."""
    kernel = [kernel] * dims if isinstance(kernel, int) else list(kernel)
    stride = [stride] * dims if isinstance(stride, int) else list(stride)
    padding = [0 if k % 2 == 0 else (k - 1) // 2 for k in kernel]
    return seq(CONV[dims](cin, cout, kernel, stride=stride, padding=padding, bias=bias),
               norm_layer(norm, dims, cout), activation(act, cout))


class Residual(nn.Module):
    """act(inner(x) + x), x's channels repeated cyclically to inner's width when they differ."""

    def __init__(self, inner, act):
        super().__init__()
        self.inner = inner
        self.act = act

    def forward(self, x):
        y = self.inner(x)
        if y.shape[1] != x.shape[1]:
            index = torch.arange(y.shape[1]) % x.shape[1]
            x = x[:, index]  # equals x.repeat(1, F // C, ...) when C divides F
        y = y + x
        return y if self.act is None else self.act(y)


class Skip(nn.Module):
    """medseg's SkipConnection: cat([x, inner(x)]) on the channel axis (skip first)."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return torch.cat([x, self.inner(x)], 1)


def vnet(cin, classes, dims=3, base=16, down=(2, 3, 3, 3), up=(3, 3, 2, 1), kernel=5, norm="NONE", dropout=0.0):
    depth = len(down)
    bias = norm == "NONE"

    def f(d):
        return base << d

    def residual_convs(width, n):
        return Residual(seq(*[conv_block(dims, width, width, kernel, 1, bias, norm, "PRELU") for _ in range(n)]),
                        nn.PReLU(width))

    def level(d, cin_level):
        if d == 0:
            entry = Residual(conv_block(dims, cin, f(0), kernel, 1, bias, norm, "NONE"), nn.PReLU(f(0)))
        else:
            drop = nn.Dropout(dropout) if dropout > 0 and d >= depth - 1 else None
            entry = seq(seq(CONV[dims](cin_level, f(d), 2, stride=2, bias=bias), norm_layer(norm, dims, f(d)),
                            nn.PReLU(f(d)), drop),
                        residual_convs(f(d), down[d - 1]))
        if d == depth:
            return entry
        below = f(d + 1) if d + 1 == depth else 2 * f(d + 1)
        drop = nn.Dropout(dropout) if dropout > 0 and d >= depth - 2 else None
        up_step = seq(drop, UP[dims](below, f(d), 2, stride=2), norm_layer(norm, dims, f(d)), nn.PReLU(f(d)))
        return seq(entry, Skip(seq(level(d + 1, f(d)), up_step)), residual_convs(2 * f(d), up[depth - 1 - d]))

    return seq(level(0, cin), CONV[dims](2 * base, classes, 1))


def plain_unet(cin, classes, kernels, strides, base=32, max_filters=320, enc=2, dec=2, norm="INSTANCE",
               act="LEAKY_RELU"):
    dims = len(kernels[0])

    def f(s):
        return min(base << s, max_filters)

    def convs(s, cin_stage, n, first_stride):
        blocks = [conv_block(dims, cin_stage, f(s), kernels[s], first_stride, True, norm, act)]
        blocks += [conv_block(dims, f(s), f(s), kernels[s], 1, True, norm, act) for _ in range(n - 1)]
        return seq(*blocks)

    def stage(s, cin_stage):
        encoder = convs(s, cin_stage, enc, strides[s])
        if s == len(kernels) - 1:
            return encoder
        deeper = seq(stage(s + 1, f(s)), UP[dims](f(s + 1), f(s), strides[s + 1], stride=strides[s + 1]))
        return seq(encoder, Skip(deeper), convs(s, 2 * f(s), dec, 1))

    return seq(stage(0, cin), CONV[dims](f(0), classes, 1))


def conv_flops(model, shape):
    """Multiply-adds x 2 of convolutions and transposed convolutions in one forward pass."""
    flops = 0

    def hook(m, inp, out):
        nonlocal flops
        if not isinstance(m, (nn.Conv2d, nn.Conv3d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
            return
        taps = 1
        for k in m.kernel_size:
            taps *= k
        if isinstance(m, (nn.ConvTranspose2d, nn.ConvTranspose3d)):
            flops += 2 * inp[0].numel() * m.out_channels * taps
        elif isinstance(m, (nn.Conv2d, nn.Conv3d)):
            flops += 2 * out.numel() * m.in_channels * taps // m.groups

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(*shape))
    model.train(was_training)
    for h in handles:
        h.remove()
    return flops


def trainable(model):
    return sum(p.numel() for p in model.parameters())
