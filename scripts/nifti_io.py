"""Minimal NIfTI-1 reading and writing with numpy alone (Debian's python3 here has no nibabel), for
the project's Python reference scripts: the foreign CT phantoms and the PyTorch reference pipeline.

read(path)  -> (array indexed [i, j, k] like nibabel's get_fdata() order, affine 4x4 voxel -> RAS mm)
write(path, array [i, j, k], affine, dtype) writes .nii or .nii.gz with both sform and qform set
(qform from the rotation part when it is orthonormal up to a flip, as nibabel does)

The affine comes from the sform when sform_code > 0, else from the qform (quaternion, qfac, pixdim),
else from pixdim alone, the order of the NIfTI-1 standard. Scaling (scl_slope, scl_inter) is applied
when slope is neither 0 nor 1 or the intercept is not 0."""
import gzip
import struct

import numpy as np

_TYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8,
          512: np.uint16, 768: np.uint32}
_CODES = {np.dtype(v).str.lstrip("<>|"): k for k, v in _TYPES.items()}


def read(path):
    raw = gzip.open(path).read() if str(path).endswith(".gz") else open(path, "rb").read()
    if len(raw) < 348:
        raise ValueError("%s: %d bytes, shorter than a NIfTI-1 header" % (path, len(raw)))
    end = "<" if struct.unpack("<i", raw[0:4])[0] == 348 else ">"
    if struct.unpack(end + "i", raw[0:4])[0] != 348:
        raise ValueError("%s: not a NIfTI-1 file (sizeof_hdr is not 348)" % path)
    dim = struct.unpack(end + "8h", raw[40:56])
    datatype = struct.unpack(end + "h", raw[70:72])[0]
    pixdim = struct.unpack(end + "8f", raw[76:108])
    offset = int(struct.unpack(end + "f", raw[108:112])[0])
    slope, inter = struct.unpack(end + "2f", raw[112:120])
    qform_code, sform_code = struct.unpack(end + "2h", raw[252:256])
    if datatype not in _TYPES:
        raise ValueError("%s: NIfTI datatype %d is not supported here" % (path, datatype))
    shape = tuple(int(d) for d in dim[1:1 + dim[0]])
    dtype = np.dtype(_TYPES[datatype]).newbyteorder(end)
    count = int(np.prod(shape))
    data = np.frombuffer(raw, dtype=dtype, count=count, offset=offset).reshape(shape, order="F")
    if slope not in (0.0, 1.0) or inter != 0.0:
        data = data * np.float64(slope) + np.float64(inter)
    if sform_code > 0:
        srow = np.array(struct.unpack(end + "12f", raw[280:328]), dtype=np.float64).reshape(3, 4)
        affine = np.vstack([srow, [0, 0, 0, 1]])
    elif qform_code > 0:
        b, c, d, qx, qy, qz = struct.unpack(end + "6f", raw[256:280])
        a = np.sqrt(max(0.0, 1.0 - (b * b + c * c + d * d)))
        r = np.array([[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
                      [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
                      [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]])
        qfac = -1.0 if pixdim[0] < 0 else 1.0
        zooms = np.array([pixdim[1], pixdim[2], pixdim[3] * qfac])
        affine = np.eye(4)
        affine[:3, :3] = r * zooms
        affine[:3, 3] = [qx, qy, qz]
    else:
        affine = np.diag([pixdim[1], pixdim[2], pixdim[3], 1.0])
    return np.ascontiguousarray(data), affine


def _quaternion(affine):
    rzs = affine[:3, :3]
    zooms = np.sqrt((rzs * rzs).sum(axis=0))
    r = rzs / zooms
    qfac = 1.0
    if np.linalg.det(r) < 0:
        qfac = -1.0
        r = r.copy()
        r[:, 2] = -r[:, 2]
    # Shepperd's method, as NIfTI's reference nifti_mat44_to_quatern
    a = r[0, 0] + r[1, 1] + r[2, 2] + 1.0
    if a > 0.5:
        a = 0.5 * np.sqrt(a)
        b = 0.25 * (r[2, 1] - r[1, 2]) / a
        c = 0.25 * (r[0, 2] - r[2, 0]) / a
        d = 0.25 * (r[1, 0] - r[0, 1]) / a
    else:
        xd = 1.0 + r[0, 0] - (r[1, 1] + r[2, 2])
        yd = 1.0 + r[1, 1] - (r[0, 0] + r[2, 2])
        zd = 1.0 + r[2, 2] - (r[0, 0] + r[1, 1])
        if xd > 1.0:
            b = 0.5 * np.sqrt(xd)
            c = 0.25 * (r[0, 1] + r[1, 0]) / b
            d = 0.25 * (r[0, 2] + r[2, 0]) / b
            a = 0.25 * (r[2, 1] - r[1, 2]) / b
        elif yd > 1.0:
            c = 0.5 * np.sqrt(yd)
            b = 0.25 * (r[0, 1] + r[1, 0]) / c
            d = 0.25 * (r[1, 2] + r[2, 1]) / c
            a = 0.25 * (r[0, 2] - r[2, 0]) / c
        else:
            d = 0.5 * np.sqrt(zd)
            b = 0.25 * (r[0, 2] + r[2, 0]) / d
            c = 0.25 * (r[1, 2] + r[2, 1]) / d
            a = 0.25 * (r[1, 0] - r[0, 1]) / d
        if a < 0:
            b, c, d = -b, -c, -d
    return (b, c, d), zooms, qfac


def write(path, array, affine, dtype=None):
    array = np.asarray(array)
    if dtype is not None:
        array = array.astype(dtype)
    key = array.dtype.str.lstrip("<>|")
    if key not in _CODES:
        raise ValueError("cannot store %s in NIfTI here" % array.dtype)
    affine = np.asarray(affine, dtype=np.float64)
    (b, c, d), zooms, qfac = _quaternion(affine)
    hdr = bytearray(352)
    struct.pack_into("<i", hdr, 0, 348)
    dims = [array.ndim] + list(array.shape) + [1] * (7 - array.ndim)
    struct.pack_into("<8h", hdr, 40, *dims)
    code = _CODES[key]
    struct.pack_into("<hh", hdr, 70, code, array.dtype.itemsize * 8)
    pix = [qfac] + list(zooms) + [1.0] * (7 - 3)
    struct.pack_into("<8f", hdr, 76, *pix)
    struct.pack_into("<f", hdr, 108, 352.0)
    struct.pack_into("<2f", hdr, 112, 1.0, 0.0)
    struct.pack_into("<b", hdr, 123, 2)  # xyzt_units: mm
    struct.pack_into("<2h", hdr, 252, 1, 1)  # qform_code, sform_code: scanner
    struct.pack_into("<6f", hdr, 256, b, c, d, *affine[:3, 3])
    struct.pack_into("<12f", hdr, 280, *affine[:3, :].reshape(-1))
    hdr[344:348] = b"n+1\x00"
    body = bytes(hdr) + np.asfortranarray(array.astype(array.dtype.newbyteorder("<"))).tobytes(order="F")
    if str(path).endswith(".gz"):
        with gzip.GzipFile(path, "wb", mtime=0) as f:  # no time stamp: same bytes every run
            f.write(body)
    else:
        with open(path, "wb") as f:
            f.write(body)
