"""See timm/__init__.py: placeholders for timm.models.eva (EvaBlock, used only by EVA networks)."""
from timm import stub_getattr

__getattr__ = stub_getattr("timm.models.eva")
