#!/usr/bin/env python3
"""Reads DICOM Segmentation objects with pydicom, independently of medseg's Java reader, and checks
each against the NIfTI label map of the same case, voxel for voxel.

For every (SEG, NIfTI, SERIES_DIR) triple: the source series' files are read with pydicom and
ordered along the slice normal by Image Position (Patient); every SEG frame is placed on the slice
whose position equals its Plane Position (within 1e-3 mm) and whose SOP Instance UID its
Derivation Image Sequence names, and its bits set that frame's segment number; the NIfTI is read
with nibabel (voxel axes x, y, z as medseg writes them) and its affine compared with the series'
geometry (LPS to RAS). Prints one line per case; exit 1 on the first difference.

Usage: check_dicom_seg.py SEG NIFTI SERIES_DIR [SEG NIFTI SERIES_DIR ...]
Needs: apt-get install -y python3-pydicom python3-nibabel python3-numpy
"""
import os
import sys

import nibabel as nib
import numpy as np
import pydicom


def series(folder):
    slices = []
    for root, _, files in os.walk(folder):
        for name in files:
            ds = pydicom.dcmread(os.path.join(root, name), stop_before_pixels=True)
            slices.append(ds)
    iop = np.array(slices[0].ImageOrientationPatient, float)
    normal = np.cross(iop[:3], iop[3:])
    slices.sort(key=lambda ds: float(np.dot(np.array(ds.ImagePositionPatient, float), normal)))
    return slices, iop, normal


def check(seg_path, nifti_path, series_dir):
    slices, iop, normal = series(series_dir)
    seg = pydicom.dcmread(seg_path)
    assert seg.SOPClassUID == "1.2.840.10008.5.1.4.1.1.66.4", "not a Segmentation"
    assert seg.SegmentationType == "BINARY", seg.SegmentationType
    numbers = [int(s.SegmentNumber) for s in seg.SegmentSequence]
    assert numbers == list(range(1, len(numbers) + 1)), "segments numbered 1..n in order: %s" % numbers
    for s in seg.SegmentSequence:
        assert s.SegmentLabel and s.SegmentedPropertyTypeCodeSequence[0].CodeValue, "segment %d described" % s.SegmentNumber
    assert seg.StudyInstanceUID == slices[0].StudyInstanceUID
    assert seg.FrameOfReferenceUID == slices[0].FrameOfReferenceUID
    assert seg.ReferencedSeriesSequence[0].SeriesInstanceUID == slices[0].SeriesInstanceUID
    shared_iop = np.array(seg.SharedFunctionalGroupsSequence[0].PlaneOrientationSequence[0].ImageOrientationPatient, float)
    assert np.allclose(shared_iop, iop, atol=1e-6), "orientation %s vs %s" % (shared_iop, iop)
    rows, cols = int(seg.Rows), int(seg.Columns)
    labels = np.zeros((len(slices), rows, cols), np.uint8)
    frames = seg.pixel_array.reshape(-1, rows, cols)
    positions = np.array([np.array(ds.ImagePositionPatient, float) for ds in slices])
    for k, group in enumerate(seg.PerFrameFunctionalGroupsSequence):
        number = int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        ipp = np.array(group.PlanePositionSequence[0].ImagePositionPatient, float)
        z = int(np.argmin(np.linalg.norm(positions - ipp, axis=1)))
        assert np.linalg.norm(positions[z] - ipp) < 1e-3, "frame %d at %s lies on no slice" % (k + 1, ipp)
        source = group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
        assert source == slices[z].SOPInstanceUID, "frame %d derives from %s, its slice is %s" % (k + 1, source,
                                                                                                slices[z].SOPInstanceUID)
        on = frames[k] != 0
        assert not np.any(labels[z][on] != 0), "segments overlap in frame %d" % (k + 1)
        labels[z][on] = number
    image = nib.load(nifti_path)
    theirs = np.asarray(image.dataobj).astype(np.uint8).transpose(2, 1, 0)  # x, y, z -> z, y, x
    assert theirs.shape == labels.shape, "shape %s vs %s" % (theirs.shape, labels.shape)
    differ = int(np.count_nonzero(theirs != labels))
    # the NIfTI's affine is the series' geometry: columns along the row direction, LPS -> RAS
    spacing = [float(v) for v in slices[0].PixelSpacing]
    gap = float(np.dot(positions[-1] - positions[0], normal)) / max(len(slices) - 1, 1)
    lps = np.eye(4)
    lps[:3, 0] = iop[:3] * spacing[1]
    lps[:3, 1] = iop[3:] * spacing[0]
    lps[:3, 2] = normal * gap
    lps[:3, 3] = positions[0]
    ras = np.diag([-1, -1, 1, 1]) @ lps
    assert np.allclose(image.affine, ras, atol=1e-3), "affine\n%s\nvs series\n%s" % (image.affine, ras)
    counts = {int(v): int(c) for v, c in zip(*np.unique(labels, return_counts=True)) if v}
    if differ:
        print("DIFFER %s: %d of %d voxels differ from %s" % (seg_path, differ, labels.size, nifti_path))
        return False
    print("same %s: %d frames, %d segments, %d voxels equal to %s, labels %s" % (
        os.path.basename(seg_path), len(frames), len(numbers), labels.size, os.path.basename(nifti_path), counts))
    return True


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or len(args) % 3:
        sys.exit(__doc__)
    ok = True
    for i in range(0, len(args), 3):
        ok = check(*args[i:i + 3]) and ok
    sys.exit(0 if ok else 1)
