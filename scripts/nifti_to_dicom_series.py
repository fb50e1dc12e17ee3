#!/usr/bin/env python3
"""Writes an int16 NIfTI CT as an axial DICOM CT series with pydicom (the reference DICOM writer),
one uncompressed file per slice, the way scanners store CT: unsigned 12-bit pixels with Rescale
Intercept -1024, Image Position/Orientation Patient and Pixel Spacing from the NIfTI affine.
Every UID is derived from --seed, so the same input gives the same bytes.

The NIfTI's voxel axes must be axial (axis 2 along patient z, either way round); rows and columns
may run either way, the affine is carried into the DICOM geometry as it is.

Usage: nifti_to_dicom_series.py IN.nii.gz OUT_DIR --seed N [--patient NAME] [--description TEXT]
Needs: apt-get install -y python3-pydicom python3-numpy
"""
import argparse
import gzip
import os
import struct

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"


def read_nifti(path):
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    if struct.unpack("<i", raw[0:4])[0] != 348:
        raise SystemExit(path + ": not a little-endian NIfTI-1 file")
    dim = struct.unpack("<8h", raw[40:56])
    datatype = struct.unpack("<h", raw[70:72])[0]
    offset = int(struct.unpack("<f", raw[108:112])[0])
    if dim[0] != 3 or datatype != 4:
        raise SystemExit(path + ": expected a 3D int16 volume, got %d dimensions, datatype %d" % (dim[0], datatype))
    nx, ny, nz = dim[1:4]
    data = np.frombuffer(raw[offset:offset + 2 * nx * ny * nz], dtype="<i2").reshape(nz, ny, nx)
    srow = np.array([struct.unpack("<4f", raw[280 + 16 * i:296 + 16 * i]) for i in range(3)], dtype=float)
    lps = srow * np.array([[-1], [-1], [1]])  # NIfTI's RAS to DICOM's LPS
    return data, lps


def uid(seed, *parts):
    # 2.25.<decimal> UIDs (ISO/IEC 9834-8), from the seed and the element's role
    value = abs(hash_int((seed,) + parts)) % (10 ** 37)
    return "2.25." + str(value)


def hash_int(values):
    h = 1469598103934665603  # FNV-1a over the decimal text: stable across Python runs
    for ch in repr(values).encode():
        h = ((h ^ ch) * 1099511628211) % (1 << 128)
    return h


def main():
    p = argparse.ArgumentParser()
    p.add_argument("nifti")
    p.add_argument("out")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--patient", default="Phantom^Abdomen")
    p.add_argument("--description", default="synthetic abdominal CT")
    a = p.parse_args()
    hu, lps = read_nifti(a.nifti)
    columns_axis, rows_axis, slice_axis = lps[:, 0], lps[:, 1], lps[:, 2]
    spacing = [np.linalg.norm(columns_axis), np.linalg.norm(rows_axis), np.linalg.norm(slice_axis)]
    direction = [columns_axis / spacing[0], rows_axis / spacing[1], slice_axis / spacing[2]]
    if abs(direction[2][2]) < 0.9:
        raise SystemExit(a.nifti + ": voxel axis 2 is not axial; reorient the volume first")
    if hu.min() < -1024 or hu.max() > 3071:
        raise SystemExit(a.nifti + ": values outside -1024..3071 HU do not fit 12 bits")
    os.makedirs(a.out, exist_ok=False)
    study, series, frame = uid(a.seed, "study"), uid(a.seed, "series"), uid(a.seed, "frame")
    nz = hu.shape[0]
    for k in range(nz):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CT_IMAGE_STORAGE
        meta.MediaStorageSOPInstanceUID = uid(a.seed, "instance", k)
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        meta.ImplementationClassUID = "2.25.1"
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID = CT_IMAGE_STORAGE
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.Modality = "CT"
        ds.PatientName = a.patient
        ds.PatientID = "PHANTOM-%d" % a.seed
        ds.StudyDate = ds.SeriesDate = ds.ContentDate = "20261201"
        ds.StudyTime = ds.SeriesTime = "120000"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.StudyID = "1"
        ds.SeriesNumber = 2
        ds.InstanceNumber = k + 1
        ds.SeriesDescription = a.description
        ds.ImageType = ["DERIVED", "SECONDARY", "AXIAL"]
        origin = lps[:, 3] + lps[:, 2] * k
        ds.ImagePositionPatient = [round(float(v), 4) for v in origin]
        ds.ImageOrientationPatient = [round(float(v), 6) for v in list(direction[0]) + list(direction[1])]
        ds.PixelSpacing = [round(float(spacing[1]), 6), round(float(spacing[0]), 6)]  # row spacing, column spacing
        ds.SliceThickness = round(float(spacing[2]), 4)
        ds.SliceLocation = round(float(origin[2]), 4)
        ds.Rows, ds.Columns = hu.shape[1], hu.shape[2]
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = -1024, 1, "HU"
        ds.WindowCenter, ds.WindowWidth = 40, 400
        ds.PixelData = (hu[k].astype(np.int32) + 1024).astype("<u2").tobytes()
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(os.path.join(a.out, "IM%04d.dcm" % (k + 1)), write_like_original=False)
    print("wrote %d slices to %s" % (nz, a.out))


if __name__ == "__main__":
    main()
