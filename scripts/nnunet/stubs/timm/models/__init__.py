"""See timm/__init__.py: placeholders for timm.models."""
from timm import stub_getattr

__getattr__ = stub_getattr("timm.models")
