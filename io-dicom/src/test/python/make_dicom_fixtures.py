#!/usr/bin/env python3
"""DICOM fixtures and golden values for io-dicom's tests, from pydicom (Debian's python3-pydicom 2.3).

Run from the repository root:  /usr/bin/python3 io-dicom/src/test/python/make_dicom_fixtures.py
Copies pydicom's own test files (see resources/dicom/LICENSE-pydicom.txt) and records what
pydicom reads from each: transfer syntax, size, geometry tags, rescale, and the stored pixel values
(pixel_array, before rescale) in io.medseg's layout (sample, frame, row, column; column fastest),
all of them for small images and sums plus 64 samples for larger ones. Files pydicom cannot
decode here are recorded with "decodable": false and the reason.
"""
import json
import os
import shutil
import warnings

import numpy as np
import pydicom

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "dicom")
SOURCE = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
FILES = ["CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm",
         "MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_padded.dcm", "MR_truncated.dcm",
         "ExplVR_BigEndNoMeta.dcm", "ExplVR_LitEndNoMeta.dcm", "ExplVR_BigEnd.dcm", "image_dfl.dcm", "JPEG2000.dcm",
         "JPGExtended.dcm", "SC_rgb_rle.dcm", "SC_rgb_rle_16bit_2frame.dcm", "SC_rgb_rle_32bit_2frame.dcm",
         "SC_rgb_small_odd.dcm", "SC_rgb_jpeg_dcmtk.dcm", "MR_small_jpeg_ls_lossless.dcm", "693_J2KI.dcm",
         "rtdose_1frame.dcm", "rtdose_rle_1frame.dcm", "liver_1frame.dcm", "SC_ybr_full_422_uncompressed.dcm"]


def numbers(ds, keyword):
    v = ds.get(keyword)
    if v is None:
        return None
    return [float(x) for x in (v if isinstance(v, (list, pydicom.multival.MultiValue)) else [v])]


def describe(path):
    ds = pydicom.dcmread(path, force=True)
    meta = getattr(ds, "file_meta", None)
    entry = {"transfer_syntax": str(meta.TransferSyntaxUID) if meta is not None and "TransferSyntaxUID" in meta else None,
             "rows": ds.get("Rows"), "columns": ds.get("Columns"), "frames": int(ds.get("NumberOfFrames", 1) or 1),
             "samples": ds.get("SamplesPerPixel"), "photometric": ds.get("PhotometricInterpretation"),
             "position": numbers(ds, "ImagePositionPatient"), "orientation": numbers(ds, "ImageOrientationPatient"),
             "pixel_spacing": numbers(ds, "PixelSpacing"), "slope": numbers(ds, "RescaleSlope"),
             "intercept": numbers(ds, "RescaleIntercept"), "modality": ds.get("Modality"),
             "series_uid": str(ds.get("SeriesInstanceUID", "")), "patient_name": str(ds.get("PatientName", ""))}
    if entry["transfer_syntax"] is None:  # no meta header: tell pydicom what it detected
        entry["transfer_syntax"] = "1.2.840.10008.1.2.2" if not ds.is_little_endian else "1.2.840.10008.1.2.1"
        ds.file_meta = pydicom.dataset.FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = entry["transfer_syntax"]
    try:
        a = ds.pixel_array
    except Exception as e:  # noqa: BLE001 - record why pydicom cannot decode it
        entry["decodable"] = False
        entry["reason"] = str(e).splitlines()[0][:200]
        return entry
    frames, samples = entry["frames"], entry["samples"] or 1
    a = np.asarray(a, dtype=np.float64).reshape(frames, ds.Rows, ds.Columns, samples)
    flat = a.transpose(3, 0, 1, 2).reshape(-1)
    entry.update({"decodable": True, "sum": float(flat.sum()), "min": float(flat.min()), "max": float(flat.max())})
    if flat.size <= 4096:
        entry["values"] = flat.tolist()
    else:
        idx = np.linspace(0, flat.size - 1, 64).astype(np.int64)
        entry["sample_index"] = idx.tolist()
        entry["sample_values"] = flat[idx].tolist()
    return entry


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    golden = {}
    for name in FILES:
        shutil.copyfile(os.path.join(SOURCE, name), os.path.join(OUT, name))
        golden[name] = describe(os.path.join(OUT, name))
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    # text in single-byte character sets, UTF-8 and GB18030 (ISO 2022 escape sequences are not read)
    charsets = {}
    os.makedirs(os.path.join(OUT, "charsets"), exist_ok=True)
    for name in ["chrArab.dcm", "chrFren.dcm", "chrGerm.dcm", "chrGreek.dcm", "chrHbrw.dcm", "chrRuss.dcm",
                 "chrX1.dcm", "chrX2.dcm"]:
        source = os.path.join(os.path.dirname(SOURCE), "charset_files", name)
        shutil.copyfile(source, os.path.join(OUT, "charsets", name))
        charsets[name] = str(pydicom.dcmread(source).PatientName)
    with open(os.path.join(OUT, "charsets", "patient_names.json"), "w", encoding="utf-8") as f:
        json.dump(charsets, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("pydicom", pydicom.__version__, "described", len(golden), "files")
