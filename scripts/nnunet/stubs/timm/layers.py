"""See timm/__init__.py: placeholders for timm.layers (used only by Primus / EVA networks)."""
from timm import stub_getattr

__getattr__ = stub_getattr("timm.layers")
