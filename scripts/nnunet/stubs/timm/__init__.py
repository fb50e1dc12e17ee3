"""Stand-in for timm, which needs torchvision; the only torchvision wheels here are CUDA builds
that cannot load next to the CPU torch.

dynamic_network_architectures imports timm only for Primus / EVA (transformer) networks, and
nnU-Net's trainer lookup imports those modules while it searches for a trainer class by name.
The fixtures build PlainConvUNet and ResidualEncoderUNet only, so every timm name resolves to a
placeholder that fails when it is instantiated or called.
"""

__version__ = "0.0.0-medseg-stub"


def _placeholder(qualname):
    class _TimmStub:
        def __init__(self, *args, **kwargs):
            raise RuntimeError(f"{qualname} was used, but timm is only a stub here (scripts/nnunet/stubs/timm)")

        def __init_subclass__(cls, **kwargs):
            # subclassing at import time (e.g. class EvaBlock(timm.models.eva.EvaBlock)) is fine
            super().__init_subclass__()

    _TimmStub.__name__ = _TimmStub.__qualname__ = qualname.rsplit(".", 1)[-1]
    return _TimmStub


def stub_getattr(module_name):
    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _placeholder(f"{module_name}.{name}")
    return __getattr__


__getattr__ = stub_getattr("timm")
