"""Adds crop_and_pad_nd(..., cast_cropped_to=None) to an acvl_utils 0.2.5 source tree.

nnU-Net >= 2.7 pins acvl-utils>=0.2.6 for this one keyword (its training data loader calls
crop_and_pad_nd(seg, bbox, -1, cast_cropped_to=np.int16)), but the newest acvl_utils on this machine
is 0.2.5. The keyword casts the crop before padding so that the -1 padding value fits the dtype;
nothing else of 0.2.6 is used by nnU-Net. Inference never calls crop_and_pad_nd.
Usage: python patch_acvl_utils.py ACVL_SOURCE_TREE
"""
import sys
from pathlib import Path

path = Path(sys.argv[1]) / "acvl_utils" / "cropping_and_padding" / "bounding_boxes.py"
src = path.read_text()
if "cast_cropped_to" in src:
    sys.exit(0)  # already patched (idempotent)

old_sig = "        allow_hacky_np_workaround_for_reflect: bool = True\n) -> Union[torch.Tensor, np.ndarray]:"
new_sig = ("        allow_hacky_np_workaround_for_reflect: bool = True,\n"
           "        cast_cropped_to=None\n) -> Union[torch.Tensor, np.ndarray]:")
old_crop = "    cropped = image[tuple(slices)]\n"
new_crop = ("    cropped = image[tuple(slices)]\n"
            "    if cast_cropped_to is not None:  # medseg fixture patch: acvl_utils 0.2.6 keyword\n"
            "        cropped = cropped.to(cast_cropped_to) if isinstance(cropped, torch.Tensor) \\\n"
            "            else np.asarray(cropped).astype(cast_cropped_to)\n")
old_empty = "                    return np.zeros(target_shape, dtype=image.dtype)\n"
new_empty = ("                    return np.zeros(target_shape, dtype=image.dtype if cast_cropped_to is None\n"
             "                                    else cast_cropped_to)\n")
for old, new in ((old_sig, new_sig), (old_crop, new_crop), (old_empty, new_empty)):
    if src.count(old) != 1:
        raise SystemExit(f"acvl_utils patch: expected exactly one match of {old!r} in {path}")
    src = src.replace(old, new)
path.write_text(src)
print(f"patched {path}")
