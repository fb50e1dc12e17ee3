"""Stand-in for SimpleITK, which has no wheel on this machine.

nnU-Net imports SimpleITK at module level (imageio/simpleitk_reader_writer.py,
preprocessing/preprocessors/default_preprocessor.py, preprocessing/resampling/resample_torch.py
through SimpleITKIO), but the fixture datasets name NibabelIO / NaturalImage2DIO in dataset.json,
so no SimpleITK function is ever called. Any attribute use fails loudly instead of silently.
"""

__version__ = "0.0.0-medseg-stub"


class SimpleITKStubError(RuntimeError):
    pass


def __getattr__(name):
    # dunder look-ups (import machinery, pickle, inspect) must see a plain missing attribute
    if name.startswith("__"):
        raise AttributeError(name)
    raise SimpleITKStubError(
        f"SimpleITK.{name} was used, but SimpleITK is only a stub in this environment "
        "(scripts/nnunet/stubs/SimpleITK). Use NibabelIO / NaturalImage2DIO datasets.")
