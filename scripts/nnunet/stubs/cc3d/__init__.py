"""Stand-in for connected-components-3d (cc3d), which has no wheel on this machine.

acvl_utils.morphology.morphology_helper imports cc3d at module level; nnU-Net reaches it only
through cascade transforms and connected-component postprocessing, which the fixtures never run
(no cascade, no nnUNetv2_determine_postprocessing). Any use fails loudly.
"""

__version__ = "0.0.0-medseg-stub"


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise RuntimeError(f"cc3d.{name} was used, but cc3d is only a stub here (scripts/nnunet/stubs/cc3d)")
