#!/usr/bin/env python3
"""DICOM series fixtures: a CT-like phantom written as slice series with pydicom (axial, oblique, sagittal and
flipped, different spacings, shuffled file names), transcoded with dcmtk (RLE) and GDCM (JPEG 2000
lossless), broken on purpose (a missing slice, mixed sizes), and converted by dcm2niix to NIfTI as
the geometry reference. Tests read the series and compare with the phantom and with dcm2niix's
NIfTI, so no tool is needed at test time.

Run from the repository root:  /usr/bin/python3 io-dicom/src/test/python/make_series_fixtures.py
Needs: apt-get install -y python3-pydicom dcmtk libgdcm-tools dcm2niix
"""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "series")
NX, NY, NZ = 24, 20, 10  # columns, rows, slices


def phantom():
    z, y, x = np.mgrid[0:NZ, 0:NY, 0:NX]
    sphere = ((x - 11.5) ** 2 + (y - 9) ** 2 + ((z - 4.5) * 2) ** 2) < 49
    hu = -1000 + 900 * (x + 2 * y + 3 * z) / (NX + 2 * NY + 3 * NZ) + 1100 * sphere
    return (hu + 1024).astype(np.int16)  # stored values; rescale intercept -1024


def rotation(axis, degrees):
    a = np.radians(degrees)
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(a) * k + (1 - np.cos(a)) * k @ k


def write_series(folder, stored, row_dir, col_dir, spacing, origin, seed, drop=None, odd_size_slice=None):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    normal = np.cross(row_dir, col_dir)
    series_uid = generate_uid(entropy_srcs=[folder])
    study_uid = generate_uid(entropy_srcs=["study"])
    names = rng.permutation(NZ)  # file names unrelated to position
    for k in range(NZ):
        if k == drop:
            continue
        pixels = stored[k]
        if k == odd_size_slice:
            pixels = pixels[:-2]
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[folder, str(k)])
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID = meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.Modality = "CT"
        ds.PatientName = "Phantom^Series"
        ds.PatientID = "PHANTOM"
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.FrameOfReferenceUID = generate_uid(entropy_srcs=["frame of reference", folder])
        ds.SeriesNumber = 1
        ds.SeriesDescription = os.path.basename(folder)
        ds.InstanceNumber = NZ - k  # reversed on purpose: order must come from positions
        position = np.asarray(origin) + k * spacing[2] * normal
        ds.ImagePositionPatient = [format(v, ".6f") for v in position]
        ds.ImageOrientationPatient = [format(v, ".8f") for v in list(row_dir) + list(col_dir)]
        ds.PixelSpacing = [format(spacing[1], ".6f"), format(spacing[0], ".6f")]  # rows, columns
        ds.SliceThickness = "9.9"  # deliberately wrong: spacing must come from positions
        ds.Rows, ds.Columns = pixels.shape
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1
        ds.RescaleIntercept = "-1024"
        ds.RescaleSlope = "1"
        ds.PixelData = pixels.astype("<i2").tobytes()
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        ds.save_as(os.path.join(folder, "IM%04d" % names[k]), write_like_original=False)
    return series_uid


def transcode(src, dst, command):
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        subprocess.run(command + [os.path.join(src, name), os.path.join(dst, name)], check=True,
                       stdout=subprocess.DEVNULL)


def dcm2niix(folder, name):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dcm2niix", "-z", "n", "-b", "n", "-f", name, "-o", tmp, folder], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copyfile(os.path.join(tmp, name + ".nii"), os.path.join(OUT, "dcm2niix", name + ".nii"))


if __name__ == "__main__":
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "dcm2niix"))
    stored = phantom()
    golden = {"stored": stored.reshape(-1).tolist(), "size_xyz": [NX, NY, NZ], "intercept": -1024, "series": {}}
    oblique = rotation([1, 2, 0.5], 20)
    specs = {
        "axial": ([1, 0, 0], [0, 1, 0], [0.7, 0.8, 2.5], [-10.0, 20.0, -30.0]),
        "oblique": (oblique[:, 0], oblique[:, 1], [0.9, 0.9, 1.25], [5.5, -7.25, 100.0]),
        "sagittal": ([0, 1, 0], [0, 0, -1], [0.5, 0.6, 3.0], [-40.0, -60.0, 80.0]),
        # rows right to left and columns anterior to posterior reversed: axial turned by 180 degrees
        "flipped": ([-1, 0, 0], [0, -1, 0], [0.8, 0.75, 2.0], [30.0, 25.0, -5.0]),
    }
    for i, (name, (row, col, spacing, origin)) in enumerate(specs.items()):
        uid = write_series(os.path.join(OUT, name), stored, np.asarray(row, float), np.asarray(col, float), spacing, origin, i)
        golden["series"][name] = {"uid": uid, "row": list(map(float, row)), "col": list(map(float, col)),
                                  "spacing_xyz": spacing, "origin": origin}
        dcm2niix(os.path.join(OUT, name), name)
    transcode(os.path.join(OUT, "axial"), os.path.join(OUT, "axial_rle"), ["dcmcrle"])
    transcode(os.path.join(OUT, "oblique"), os.path.join(OUT, "oblique_j2k"), ["gdcmconv", "--j2k"])
    transcode(os.path.join(OUT, "axial"), os.path.join(OUT, "axial_explicit_be"), ["dcmconv", "+tb"])
    transcode(os.path.join(OUT, "axial"), os.path.join(OUT, "axial_jpeg_lossless_sv1"), ["dcmcjpeg", "+e1"])
    shutil.copytree(os.path.join(OUT, "axial"), os.path.join(OUT, "axial_monochrome1"))
    for name in os.listdir(os.path.join(OUT, "axial_monochrome1")):
        subprocess.run(["dcmodify", "-nb", "-m", "(0028,0004)=MONOCHROME1",
                        os.path.join(OUT, "axial_monochrome1", name)], check=True)
    transcode(os.path.join(OUT, "oblique"), os.path.join(OUT, "oblique_jpeg_lossless_p14_sv6"), ["dcmcjpeg", "+el", "+sv", "6"])
    transcode(os.path.join(OUT, "sagittal"), os.path.join(OUT, "sagittal_jpeg_lossless_p14_sv7"), ["dcmcjpeg", "+el", "+sv", "7"])
    write_series(os.path.join(OUT, "broken_missing_slice"), stored, np.array([1.0, 0, 0]), np.array([0, 1.0, 0]),
                 [1, 1, 2], [0, 0, 0], 7, drop=4)
    write_series(os.path.join(OUT, "broken_mixed_sizes"), stored, np.array([1.0, 0, 0]), np.array([0, 1.0, 0]),
                 [1, 1, 2], [0, 0, 0], 8, odd_size_slice=6)
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f)
        f.write("\n")
    print("pydicom", pydicom.__version__, "wrote series to", OUT)
