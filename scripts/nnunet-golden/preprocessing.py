"""Golden values for NnUNetPreprocessingTest, made by nnU-Net's own functions (run in the venv that
scripts/nnunet/make-fixtures.sh builds):

  /work/nnunet-venv/bin/python scripts/nnunet-golden/preprocessing.py > nnunet-import/src/test/resources/nnunet/preprocessing.json

Cases: resample_data_or_seg_to_shape for an image (float32, order 3; with and without a separate z
axis) and for logits (float16, order 1), crop_to_nonzero with a hole, and the normalisation schemes.
Floats are printed with repr (every bit)."""
import json

import numpy as np
import scipy
import skimage
from nnunetv2.preprocessing.cropping.cropping import crop_to_nonzero
from nnunetv2.preprocessing.normalization.default_normalization_schemes import (CTNormalization,
                                                                                 RescaleTo01Normalization,
                                                                                 ZScoreNormalization)
from nnunetv2.preprocessing.resampling.default_resampling import resample_data_or_seg_to_shape


def floats(a):
    return [repr(float(v)) for v in np.asarray(a).ravel()]


rng = np.random.default_rng(7)
out = {'numpy': np.__version__, 'scipy': scipy.__version__, 'skimage': skimage.__version__, 'resampling': [],
       'normalisation': []}
for shape, new_shape, cur, new, dtype, order in [
        ((1, 5, 9, 8), (11, 6, 7), (4.0, 1.2, 1.2), (1.5, 1.8, 1.5), np.float32, 3),  # 4/1.2 > 3: z apart
        ((1, 6, 7, 8), (9, 5, 10), (1.0, 1.4, 1.1), (0.7, 1.9, 0.9), np.float32, 3),  # isotropic enough: 3D cubic
        ((3, 4, 6, 5), (9, 8, 7), (3.5, 1.0, 1.0), (1.5, 0.75, 0.7), np.float16, 1)]:  # logits at export
    data = (rng.normal(size=shape) * 3).astype(dtype)
    r = resample_data_or_seg_to_shape(data, new_shape, cur, new, is_seg=False, order=order, order_z=0,
                                      force_separate_z=None)
    assert r.dtype == dtype
    out['resampling'].append({'shape': shape, 'new_shape': new_shape, 'current': cur, 'new': new,
                              'half': dtype == np.float16, 'order': order, 'data': floats(data),
                              'result': floats(r)})

# crop_to_nonzero: a block with a hole (filled) and a stray voxel that widens the box
image = np.zeros((1, 6, 7, 8), dtype=np.float32)
image[0, 1:4, 2:6, 1:5] = 5
image[0, 2, 3, 2] = 0  # a hole inside: filled, so inside the mask
image[0, 4, 6, 6] = -2
data, seg, bbox = crop_to_nonzero(image.copy())
out['crop'] = {'shape': image.shape[1:], 'image': floats(image), 'bbox': [list(map(int, b)) for b in bbox],
               'mask': [int(v) for v in (seg[0] >= 0).ravel()]}

props = {'mean': 57.25, 'std': 120.5, 'percentile_00_5': -100.0, 'percentile_99_5': 400.0}
image = (rng.normal(size=(5, 6, 7)) * 300 + 50).astype(np.float32)
mask = np.ones((5, 6, 7), dtype=np.int8) * -1
mask[1:4, 1:5, 2:6] = 0
for name, norm in [('CT', CTNormalization(False, props)), ('ZSCORE', ZScoreNormalization(False, {})),
                   ('ZSCORE_MASK', ZScoreNormalization(True, {})), ('RESCALE_0_1', RescaleTo01Normalization(False, {}))]:
    r = norm.run(image.copy(), mask)
    out['normalisation'].append({'scheme': name, 'image': floats(image), 'mask': [int(v) for v in (mask >= 0).ravel()],
                                 'shape': image.shape, 'result': floats(r)})
out['ct_properties'] = props
print(json.dumps(out))
