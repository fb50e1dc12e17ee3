"""Golden values for SplineZoomTest: scipy.ndimage.zoom as scikit-image's resize calls it
(grid_mode=True, mode='nearest', then clipped to the input's range), which is how nnU-Net resamples.

Run: python3 scripts/nnunet-golden/resampling.py > nnunet-import/src/test/resources/nnunet/resampling.json
(numpy and scipy only; the values are printed with repr, so the file holds every bit)."""
import json

import numpy as np
import scipy
from scipy import ndimage

rng = np.random.default_rng(31)
cases = []
for shape, out, order in [((5, 6, 7), (7, 4, 9), 3), ((5, 6, 7), (3, 11, 7), 1), ((6, 9), (13, 4), 3),
                          ((6, 9), (4, 13), 0), ((4, 5, 6), (4, 10, 12), 3), ((2, 3, 3), (5, 3, 3), 1)]:
    image = rng.normal(size=shape) * 100
    zoom = [o / s for o, s in zip(out, shape)]
    result = ndimage.zoom(image, zoom, order=order, mode='nearest', cval=0, grid_mode=True)
    assert result.shape == out, (result.shape, out)
    result = np.clip(result, image.min(), image.max())
    cases.append({'shape': shape, 'out': out, 'order': order, 'image': [repr(float(v)) for v in image.ravel()],
                  'result': [repr(float(v)) for v in result.ravel()]})
print(json.dumps({'scipy': scipy.__version__, 'numpy': np.__version__, 'cases': cases}))
