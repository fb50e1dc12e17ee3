#!/usr/bin/env python3
"""Foreign-format fixtures for io-dicom's reader tests: enhanced (multi-frame) DICOM, compressed frames split over
several fragments, a third-party converter's output, gantry-tilted series, palette / YBR / float pixel data, and
NIfTI headers that nibabel repairs on load. pydicom and nibabel write the files, dcmtk and GDCM convert some of them;
the golden values are computed here from what was written and cross-checked with dcm2niix, dcmtk, GDCM and pydicom
(results recorded in golden.json and below), so tests need no tool.

Run from the repository root:  /usr/bin/python3 io-dicom/src/test/python/make_foreign_fixtures.py
Needs: apt-get install -y python3-pydicom python3-nibabel python3-gdcm dcmtk libgdcm-tools dcm2niix dicom3tools
(checked with pydicom 2.3.1, nibabel 5.0.0, dcmtk 3.6.7, GDCM 3.0.21, dcm2niix v1.0.20220720; python3-gdcm gives
pydicom its JPEG Lossless decoder). It deletes and rewrites resources/foreign/. Reruns are byte-identical: fixed
seeds, UIDs from generate_uid(entropy_srcs=...), fixed dates and times. dcmtk (dcmcrle, dcmcjpeg lossless: UIDs kept)
stamps nothing; dcm2niix's NIfTI header takes its text from the files' fixed times. gdcmtar stamps today's
StudyDate/StudyTime and random UIDs of varying length (GDCM_ROOT_UID would only change their prefix): the script
rewrites those six elements afterwards and corrects the meta group length; every other byte is gdcmtar's.

golden.json, one line per entry. DICOM entries:
  values          expected physical values (rescale of each frame, palette or colour conversion applied) as one flat
                  list: channel-major, then slice sorted ascending along the slice normal, row, column (column
                  fastest). "values_runs": [[value, count], ...] instead when longer than 8192; "values_same_as":
                  <entry> when equal to an earlier entry's values. Also sum, min, max.
  size_xyz, channels
  origin_lps      position of the first voxel of the first slice in sorted order
  spacing_xyz     column spacing, row spacing, distance between slice planes
  direction       9 numbers, row-major 3x3 whose columns are row direction, column direction, slice normal (LPS)
  affine_lps      4x4 mapping (column, row, slice, 1) to LPS; third column = step between consecutive slices
                  (= normal * spacing, except for the sheared tilt series)
  geometry_in_file  false for the secondary captures: origin 0, spacing 1, identity are placeholders
  dcm2niix        name(s) of dcm2niix's NIfTI under dcm2niix/ (dcm2niix -z n -b n -f <name>); dcm2niix_check: the
                  re-indexing under which its voxels equal ours (dcm2niix reverses the rows), max distance in mm
                  between where its affine (RAS turned LPS) and ours put each voxel pair, "agrees"
  dciodvfy        {"files", "errors", "warnings", "first_error"}; other keys explain themselves (encapsulation, ...)
NIfTI entries: shape, affine (nibabel's img.affine, RAS), zooms (img.header.get_zooms()), the qform/sform codes
nibabel read, warnings (Python warnings and nibabel log records at WARNING and above, with their level; nibabel's
own handler also prints them), the pixdim and codes as they are in the file, values (x fastest).

DICOM files (size; made by; cross-checks; dciodvfy):
enhanced_ct_native.dcm (13 kB; pydicom): Enhanced CT Image Storage, explicit VR little endian, 10 frames of 24x20,
  oblique (20 degrees about [1, 2, 0.5]), PixelSpacing 0.8\0.7, planes 1.25 mm apart. Shared groups: PixelMeasures
  (PixelSpacing, SliceThickness, SpacingBetweenSlices), PlaneOrientation, PixelValueTransformation (intercept -1024,
  slope 1, HU); per frame: PlanePosition, FrameContent (stack 1, in-stack position by rank). Frames stored in
  DESCENDING position order (frame 1 = last slice); no top-level position, orientation, spacing or rescale.
  dcm2niix agrees (values equal, positions within 2e-6 mm). dciodvfy: 0 errors.
enhanced_ct_per_frame_rescale.dcm (14 kB; pydicom): the same, PixelValueTransformation only per frame: stored frame k
  (from 0) has slope 1 (k even) or 0.5 (k odd) and intercept -1024 - k; stored = (HU - intercept) / slope, so the
  physical values are the same phantom HU. dcm2niix: geometry agrees, but it applies the rescale of stored frame 10
  (slope 0.5, intercept -1033) to every frame, so its values are off by up to 862. dciodvfy: 0 errors.
enhanced_ct_rle_fragments.dcm (19 kB; dcmcrle +fs 1 +ot): from a pydicom enhanced CT of 6 frames of 40x32 (axial,
  descending, unsigned stored, intercept -1024, noise so each frame compresses to over 2 kB). RLE Lossless in 18
  fragments, 3 per frame (1024 + 1024 + 640 bytes, counted with dcmdump and pydicom), Basic Offset Table filled.
  dcmdrle decodes it to our values; pydicom 2.3 does not (its RLE handler takes one fragment per frame: "The amount
  of decoded RLE segment data doesn't match the expected amount"), nor does GDCM (gdcmconv --raw: "Could not change
  the Transfer Syntax"); dcm2niix refuses it ("Compressed image stored as 18 fragments: decompress with gdcmconv,
  Osirix, dcmdjpeg or dcmjp2k"), so dcm2niix/enhanced_ct_fragments_decompressed_by_dcmdrle.nii is its conversion of
  dcmdrle's output: agrees. dciodvfy: 0 errors.
enhanced_ct_jpegll_fragments.dcm (18 kB; dcmcjpeg +e1 +fs 1 +ot): the same frames in JPEG Lossless SV1
  (1.2.840.10008.1.2.4.70), 18 fragments, 3 per frame, offset table filled; dcmcjpeg adds DerivationDescription.
  pydicom (gdcm handler), dcmdjpeg and gdcmconv --raw all decode it to our values; dcm2niix refuses it as above
  (same NIfTI). dciodvfy: 0 errors, 2 warnings (DerivationDescription is not in the IOD).
enhanced_ct_jpegll_fragments_nobot.dcm (18 kB; dcmcjpeg +e1 +fs 1 -ot): the same with an empty offset table item.
  pydicom 2.3's encaps.generate_pixel_data finds the frames by the JPEG EOI marker in the last 10 bytes of a
  fragment: 6 frames, the same bytes as with the table; pydicom, dcmdjpeg and GDCM decode it to our values.
  dciodvfy: 0 errors.
enhanced_mr_gdcmtar/enhanced_mr.dcm (10 kB; gdcmtar --enhance, GDCM 3.0.21): from 8 single-frame MR Image Storage
  files written by pydicom (24x20, oblique 25 degrees about [0.3, -1, 0.8], PixelSpacing 0.8\0.9, 1.5 mm apart,
  SpacingBetweenSlices 1.5, shuffled names, reversed InstanceNumber, no rescale). gdcmtar writes Enhanced MR Image
  Storage in the input's explicit VR little endian, frames sorted by position (ascending); shared groups hold
  PlaneOrientation, PixelMeasures (PixelSpacing, SpacingBetweenSlices) and an identity PixelValueTransformation, each
  frame only PlanePosition. It recomputes every frame position as first position + k * SpacingBetweenSlices * normal
  (15 digits) instead of copying the files' positions: without SpacingBetweenSlices in the input it writes 1 and puts
  the frames 1 mm apart (true 1.5; golden "gdcmtar_input_without_spacing_between_slices"). It drops PatientName,
  PatientID, FrameOfReferenceUID, SliceThickness, the MR parameters and FrameContentSequence. pydicom reads our values
  in position order; dcm2niix agrees (2e-6 mm). dciodvfy: 116 errors (missing MR functional-group macros,
  FrameOfReferenceUID, dimension module): gdcmtar's, left as they are.
tilt/IM0000..IM0009 (2.3 kB each; pydicom): CT Image Storage, 24x20x10 phantom, GantryDetectorTilt 15,
  ImageOrientationPatient row (1, 0, 0), column (0, cos 15, -sin 15), ImagePositionPatient stepping (0, 0, 2.5) as
  the table moves: the step is not along the normal (0, sin 15, cos 15). Planes are 2.5 cos 15 = 2.4148 mm apart and
  each slice is shifted by 2.5 sin 15 = 0.647 mm (0.809 rows) along the column direction: golden affine_lps is
  sheared, slice_step_lps = (0, 0, 2.5). The sign is dcm2niix's: it estimates the tilt from positions and
  orientation as +15 ("Gantry Tilt based on 0018,1120 15, estimated from slice vector 15"; with +sin 15 in the
  column it says -15). Shuffled names, reversed InstanceNumber. dcm2niix writes two files (dcm2niix_check):
  tilt.nii: the slices unchanged (rows reversed) with an affine that is not the sheared geometry: voxels up to
    6.68 mm from their true place (dcm2niix 1.0.20220720's tilt sform; upstream changed it in 2023, its issue 697).
  tilt_Tilt_1.nii (dcm2niix appends "_Tilt_1"): resampled onto a rectangular grid along the normal. Rows grow from
    20 to 28 (ceil of the total shift, 7.28 rows); columns and slices are untouched. In dcm2niix's row order (reversed
    from DICOM's) output row r of slice k is the linear interpolation between source rows floor(r - 0.809 k) and the
    next one (the last row repeated at the edge), rounded half away from zero to int16; rows with no source get the
    volume's minimum, -1000 HU (it would use PixelPaddingValue if present, then nearest neighbour next to padding).
    Our own resampling reproduces every voxel. Its directions and spacing (0.7, 0.8, 2.4148) are right, but its
    origin is 5.8 mm off along the column direction (golden expected_affine_lps against dcm2niix_affine_lps).
  dciodvfy: 0 errors in 10 files.
tilt_no_tag/ (pydicom): the same series without (0018,1120); a reader must find the shear from the positions.
  dcm2niix finds the same 15 degrees from the geometry and writes identical NIfTIs. dciodvfy: 0 errors in 10 files.
palette8.dcm (3 kB; pydicom): Secondary Capture, PALETTE COLOR, 16x12, 8-bit indices (all 0..255 used),
  descriptors [256, 0, 16], 16-bit LUT data (red linear, green quadratic, blue falling square root). values =
  pydicom.pixel_data_handlers.util.apply_color_lut RGB, 3 channels, 16-bit entries unscaled (0..65535); "stored" =
  the indices. dcmtk dcm2pnm +opw (16-bit PPM) gives the same RGB; gdcmconv --apply-lut writes 8-bit RGB equal to
  the high byte (entry >> 8) of each. dcm2niix ignores the palette and writes the indices. dciodvfy: 0 errors.
palette16.dcm (8 kB; pydicom): 16 bits allocated, 12 stored, 16x12, descriptors [1024, 100, 16]: indices below 100
  take entry 0, above 1123 entry 1023 (pydicom clamps so; the indices include 99, 100, 101, 1122..1125, 4095).
  dcm2pnm gives the same RGB; gdcmconv --apply-lut aborts (assertion "subscript == 0" in
  gdcm::LookupTable::InitializeLUT: GDCM 3.0.21 takes no nonzero first mapped value). dcm2niix writes the indices.
  dciodvfy: 0 errors.
ybr_full.dcm (2.5 kB; pydicom): Secondary Capture, YBR_FULL, 3 samples of 8 bits, planar configuration 0, 24x20.
  "stored" = the Y, Cb, Cr samples (channel-major); values = convert_color_space(ds.pixel_array, 'YBR_FULL', 'RGB')
  (within 1 of the RGB pattern that was encoded). dcm2niix copies Y, Cb, Cr unconverted into an RGB24 NIfTI.
  dciodvfy: 0 errors.
SC_ybr_full_422_uncompressed.dcm: golden only, for ../dicom/SC_ybr_full_422_uncompressed.dcm (neither copied nor
  changed). values (runs) = pydicom.pixel_data_handlers.util.convert_color_space(ds.pixel_array, 'YBR_FULL_422',
  'RGB'), which is _convert_YBR_FULL_to_RGB; ds.pixel_array is pydicom 2.3's numpy_handler.get_pixeldata, which
  expands 4:2:2 (Y1 Y2 Cb Cr -> Y1 Cb Cr Y2 Cb Cr: each chroma pair serves both pixels) and leaves the data in YBR.
float32.dcm (6 kB; pydicom): Parametric Map Storage, Float Pixel Data (7FE0,0008), BitsAllocated 32, no
  BitsStored/HighBit/PixelRepresentation; 4 frames of 16x12, sagittal (row (0, 1, 0), column (0, 0, -1)), ascending,
  functional groups as above plus identity PixelValueTransformation and RealWorldValueMapping; values are multiples
  of 1/8 from -1234.5 to 98765.25. pydicom 2.3 reads it with ds.pixel_array (numpy_handler, float32). dcm2niix
  agrees. dciodvfy: 0 errors.
float64.dcm (9 kB; pydicom): the same with Double Float Pixel Data (7FE0,0009), BitsAllocated 64, values with 4
  decimals (not representable in float32). pydicom reads float64; dcm2niix agrees (warning "Double-precision DICOM
  conversion untested"). dciodvfy: 0 errors.

NIfTI files (nibabel 5.0 writes them, then the script overwrites pixdim[1..3], bytes 80-91, as nibabel refuses
negative or zero zooms):
pixdim_negative_noqform.nii: 5x4x3 int16, qform_code 0, sform_code 0, pixdim[1..3] = -0.8, 0.9, -2.5. nibabel logs
  (level 35) "pixdim[1,2,3] should be positive; setting to abs of pixdim values": zooms (0.8, 0.9, 2.5), affine its
  centred base affine diag(-0.8, 0.9, 2.5).
pixdim_negative_qform.nii: the same pixdims, qform_code 1 (rotation 30 degrees about [0.2, 0.3, 1], offset (10,
  -20.5, 30.25)), sform_code 0: the same message; affine = quaternion rotation times the absolute pixdims.
pixdim_zero_noqform.nii, pixdim_zero_qform.nii: pixdim[2] = 0 (0.8, 0, 2.5): nibabel logs WARNING "pixdim[1,2,3]
  should be non-zero; setting 0 dims to 1": zooms (0.8, 1, 2.5).
pixdim_negative_sform.nii: negative pixdims with sform_code 2, qform_code 0: the affine is the sform exactly, zooms
  the absolute pixdims, the same level-35 message.
nan_inf.nii.gz (30 kB): float32 32x32x8 HU (-1000..1500 with noise), 300 NaN, 20 +Inf, 20 -Inf at fixed places:
  golden count_nan/count_posinf/count_neginf, index_* (flat, x fastest), ijk_*, finite_sum/min/max; no warnings.
gzip_named_nii.nii: gzip (mtime 0) of a valid .nii, saved as .nii: nib.load raises ImageFileError "Cannot work out
  file type"; golden "content" is what the decompressed bytes hold (shape, affine = sform, zooms, values).
"""
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import warnings

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.encaps import generate_pixel_data, get_frame_offsets, get_nr_fragments
from pydicom.filebase import DicomBytesIO
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "foreign")
NII_OUT = os.path.join(OUT, "dcm2niix")
EXISTING_422 = os.path.join(HERE, "..", "resources", "dicom", "SC_ybr_full_422_uncompressed.dcm")
NX, NY, NZ = 24, 20, 10  # columns, rows, slices
DATE, TIME = "20240101", "120000.000000"
FULL_VALUES_LIMIT = 8192  # longer value lists are written as runs [value, count]


# ---------------------------------------------------------------- helpers

def phantom():
    """Stored values (HU + 1024) of the CT-like phantom of make_series_fixtures.py, shape (z, y, x)."""
    z, y, x = np.mgrid[0:NZ, 0:NY, 0:NX]
    sphere = ((x - 11.5) ** 2 + (y - 9) ** 2 + ((z - 4.5) * 2) ** 2) < 49
    hu = -1000 + 900 * (x + 2 * y + 3 * z) / (NX + 2 * NY + 3 * NZ) + 1100 * sphere
    return (hu + 1024).astype(np.int16)


def rotation(axis, degrees):
    a = np.radians(degrees)
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(a) * k + (1 - np.cos(a)) * k @ k


def uid(*parts):
    return generate_uid(entropy_srcs=["io.medseg foreign fixtures"] + [str(p) for p in parts])


def ds_str(values, fmt=".6f"):
    """DS strings of at most 16 characters."""
    out = []
    for v in values:
        s = format(float(v), fmt)
        while len(s) > 16:
            fmt = "." + str(int(fmt[1:-1]) - 1) + "f"
            s = format(float(v), fmt)
        out.append(s)
    return out


def num(v):
    """JSON number: ints stay ints, floats keep their full repr."""
    f = float(v)
    if np.isfinite(f) and f == int(f) and abs(f) < 2 ** 53:
        return int(f)
    return f


def runs(flat):
    flat = np.asarray(flat, np.float64)
    edges = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate([[0], edges])
    counts = np.diff(np.concatenate([starts, [flat.size]]))
    return [[num(flat[s]), int(c)] for s, c in zip(starts, counts)]


def values_entry(phys):
    """phys: (channels, slices, rows, columns) array -> golden values (full list, or runs if long)."""
    flat = np.asarray(phys, np.float64).reshape(-1)
    entry = {"sum": num(flat.sum()), "min": num(flat.min()), "max": num(flat.max())}
    if flat.size <= FULL_VALUES_LIMIT:
        entry["values"] = [num(v) for v in flat]
    else:
        entry["values_runs"] = runs(flat)
    return entry


def geometry(origin, row, col, spacing_xyz, normal=None, step=None):
    row, col = np.asarray(row, float), np.asarray(col, float)
    normal = np.cross(row, col) if normal is None else np.asarray(normal, float)
    direction = np.column_stack([row, col, normal])
    step = normal * spacing_xyz[2] if step is None else np.asarray(step, float)
    affine = np.eye(4)
    affine[:3, 0] = row * spacing_xyz[0]
    affine[:3, 1] = col * spacing_xyz[1]
    affine[:3, 2] = step
    affine[:3, 3] = origin
    return {"origin_lps": [float(v) for v in origin], "spacing_xyz": [float(v) for v in spacing_xyz],
            "direction": [float(v) for v in direction.reshape(-1)],
            "affine_lps": [[float(v) for v in r] for r in affine]}


def run(command, **kwargs):
    return subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def base_dataset(sop_class, key, modality, transfer_syntax=ExplicitVRLittleEndian, series=1, instance=1):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = uid(key, "sop", instance)
    meta.TransferSyntaxUID = transfer_syntax
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyDate = ds.SeriesDate = ds.ContentDate = ds.AcquisitionDate = DATE
    ds.StudyTime = ds.SeriesTime = ds.ContentTime = ds.AcquisitionTime = TIME
    ds.AccessionNumber = ""
    ds.Modality = modality
    ds.Manufacturer = "io.medseg fixtures"
    if modality in ("CT", "MR"):
        ds.PatientPosition = "HFS"
    ds.ReferringPhysicianName = ""
    ds.PatientName = "Phantom^Foreign"
    ds.PatientID = "PHANTOM"
    ds.PatientBirthDate = ""
    ds.PatientSex = "O"
    ds.StudyInstanceUID = uid("study")
    ds.SeriesInstanceUID = uid(key, "series")
    ds.StudyID = "1"
    ds.SeriesNumber = series
    ds.InstanceNumber = instance
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    return ds


def item(**kw):
    d = Dataset()
    for k, v in kw.items():
        setattr(d, k, v)
    return d


def code(value, scheme, meaning):
    return item(CodeValue=value, CodingSchemeDesignator=scheme, CodeMeaning=meaning)


def save(ds, path):
    ds.save_as(path, write_like_original=False)


# ---------------------------------------------------------------- enhanced multi-frame writer

def enhanced(key, sop_class, modality, frames, positions, row, col, pixel_spacing_rc, slice_spacing,
             rescale=None, per_frame_rescale=None, signed=True, float_kind=None):
    """frames: (n, rows, cols) in storage order; positions: (n, 3) per frame in storage order.
    rescale: (slope, intercept) shared; per_frame_rescale: list of (slope, intercept) in storage order.
    float_kind: None, 'float' (7FE0,0008) or 'double' (7FE0,0009)."""
    n, rows, cols = frames.shape
    ds = base_dataset(sop_class, key, modality)
    normal = np.cross(row, col)
    ranks = np.argsort(np.argsort(np.asarray(positions) @ normal)) + 1  # in-stack position, 1 = lowest
    ds.FrameOfReferenceUID = uid(key, "for")
    ds.PositionReferenceIndicator = ""
    ds.ManufacturerModelName = "make_foreign_fixtures.py"
    ds.DeviceSerialNumber = "1"
    ds.SoftwareVersions = "pydicom " + pydicom.__version__
    del ds.AcquisitionDate, ds.AcquisitionTime  # not in the enhanced IODs
    ds.AcquisitionNumber = 1
    ds.AcquisitionDateTime = DATE + TIME
    if modality == "CT":
        ds.AcquisitionDuration = 1.0
    ds.ContentQualification = "PRODUCT"
    ds.BurnedInAnnotation = "NO"
    ds.RecognizableVisualFeatures = "NO"
    ds.LossyImageCompression = "00"
    ds.AcquisitionContextSequence = Sequence([])
    ds.NumberOfFrames = n
    ds.Rows, ds.Columns = rows, cols
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    if modality == "CT":
        ds.ImageType = ["DERIVED", "PRIMARY", "VOLUME", "NONE"]
        ds.PixelPresentation = "MONOCHROME"
        ds.VolumetricProperties = "VOLUME"
        ds.VolumeBasedCalculationTechnique = "NONE"
        ds.PresentationLUTShape = "IDENTITY"
    else:  # parametric map
        ds.ImageType = ["DERIVED", "PRIMARY", "VOLUME", "NONE"]
        ds.ContentLabel = "PHANTOM"
        ds.ContentDescription = "float phantom"
        ds.ContentCreatorName = "Fixture^Script"
        ds.PresentationLUTShape = "IDENTITY"
    dim_uid = uid(key, "dimension")
    ds.DimensionOrganizationSequence = Sequence([item(DimensionOrganizationUID=dim_uid)])
    ds.DimensionOrganizationType = "3D"
    ds.DimensionIndexSequence = Sequence([
        item(DimensionOrganizationUID=dim_uid, DimensionIndexPointer=0x00209056, FunctionalGroupPointer=0x00209111,
             DimensionDescriptionLabel="Stack ID"),
        item(DimensionOrganizationUID=dim_uid, DimensionIndexPointer=0x00209057, FunctionalGroupPointer=0x00209111,
             DimensionDescriptionLabel="In-Stack Position Number")])
    shared = Dataset()
    thickness = ds_str([slice_spacing])[0]
    shared.PixelMeasuresSequence = Sequence([item(PixelSpacing=ds_str(pixel_spacing_rc), SliceThickness=thickness,
                                                  SpacingBetweenSlices=thickness)])
    shared.PlaneOrientationSequence = Sequence([item(ImageOrientationPatient=ds_str(list(row) + list(col), ".8f"))])
    shared.FrameAnatomySequence = Sequence([item(AnatomicRegionSequence=Sequence([code("818981001", "SCT", "Abdomen")]),
                                                 FrameLaterality="U")])
    if rescale is not None:
        shared.PixelValueTransformationSequence = Sequence([item(RescaleIntercept=ds_str([rescale[1]], ".4f")[0],
                                                                 RescaleSlope=ds_str([rescale[0]], ".4f")[0],
                                                                 RescaleType="HU")])
    if modality == "CT":
        shared.CTImageFrameTypeSequence = Sequence([item(FrameType=["DERIVED", "PRIMARY", "VOLUME", "NONE"],
                                                         PixelPresentation="MONOCHROME", VolumetricProperties="VOLUME",
                                                         VolumeBasedCalculationTechnique="NONE")])
        shared.IrradiationEventIdentificationSequence = Sequence([item(IrradiationEventUID=uid(key, "irradiation"))])
    else:
        shared.ParametricMapFrameTypeSequence = Sequence([item(FrameType=["DERIVED", "PRIMARY", "VOLUME", "NONE"])])
        shared.PixelValueTransformationSequence = Sequence([item(RescaleIntercept="0", RescaleSlope="1", RescaleType="US")])
        shared.RealWorldValueMappingSequence = Sequence([item(
            LUTExplanation="identity", LUTLabel="IDENTITY",
            MeasurementUnitsCodeSequence=Sequence([code("1", "UCUM", "no units")]),
            RealWorldValueIntercept=0.0, RealWorldValueSlope=1.0,
            DoubleFloatRealWorldValueFirstValueMapped=-1e6, DoubleFloatRealWorldValueLastValueMapped=1e6)])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    per_frame = []
    for k in range(n):
        f = Dataset()
        f.FrameContentSequence = Sequence([item(FrameAcquisitionNumber=1, StackID="1", InStackPositionNumber=int(ranks[k]),
                                                DimensionIndexValues=[1, int(ranks[k])])])
        f.PlanePositionSequence = Sequence([item(ImagePositionPatient=ds_str(positions[k]))])
        if per_frame_rescale is not None:
            slope, intercept = per_frame_rescale[k]
            f.PixelValueTransformationSequence = Sequence([item(RescaleIntercept=ds_str([intercept], ".4f")[0],
                                                                RescaleSlope=ds_str([slope], ".4f")[0], RescaleType="HU")])
        per_frame.append(f)
    ds.PerFrameFunctionalGroupsSequence = Sequence(per_frame)
    if float_kind is None:
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1 if signed else 0
        ds.PixelData = frames.astype("<i2" if signed else "<u2").tobytes()
    elif float_kind == "float":
        ds.BitsAllocated = 32
        ds.FloatPixelData = frames.astype("<f4").tobytes()
    else:
        ds.BitsAllocated = 64
        ds.DoubleFloatPixelData = frames.astype("<f8").tobytes()
    return ds


# ---------------------------------------------------------------- reading back and cross-checks

def pydicom_volume(path):
    """Physical values (channels, slices sorted by position, rows, cols) and geometry, as pydicom reads the file."""
    ds = pydicom.dcmread(path)
    arr = np.asarray(ds.pixel_array, np.float64)
    n = int(ds.get("NumberOfFrames", 1) or 1)
    arr = arr.reshape(n, ds.Rows, ds.Columns, -1)
    shared = ds.SharedFunctionalGroupsSequence[0]
    frames = ds.PerFrameFunctionalGroupsSequence
    iop = np.array([float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient])
    row, col = iop[:3], iop[3:]
    normal = np.cross(row, col)
    ps = [float(v) for v in shared.PixelMeasuresSequence[0].PixelSpacing]
    pos = np.array([[float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient] for f in frames])
    phys = np.empty_like(arr)
    for k, f in enumerate(frames):
        pvt = f.get("PixelValueTransformationSequence") or shared.get("PixelValueTransformationSequence")
        slope, intercept = (float(pvt[0].RescaleSlope), float(pvt[0].RescaleIntercept)) if pvt else (1.0, 0.0)
        phys[k] = arr[k] * slope + intercept
    order = np.argsort(pos @ normal, kind="stable")
    d = np.diff(pos[order] @ normal)
    return phys[order].transpose(3, 0, 1, 2), geometry(pos[order[0]], row, col, [ps[1], ps[0], float(np.mean(d))])


def dcm2niix(source, name, *extra):
    """Runs dcm2niix on a folder (or the folder holding one file); copies every .nii it writes as
    dcm2niix/<name><suffix>.nii where <suffix> is what dcm2niix appended after -f's name."""
    with tempfile.TemporaryDirectory() as tmp:
        src = source
        if os.path.isfile(source):
            src = os.path.join(tmp, "in")
            os.makedirs(src)
            shutil.copyfile(source, os.path.join(src, os.path.basename(source)))
        outdir = os.path.join(tmp, "out")
        os.makedirs(outdir)
        log = subprocess.run(["dcm2niix", "-z", "n", "-b", "n", *extra, "-f", name, "-o", outdir, src],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        written = []
        for f in sorted(os.listdir(outdir)):
            if f.endswith(".nii"):
                shutil.copyfile(os.path.join(outdir, f), os.path.join(NII_OUT, f))
                written.append(f)
    log = log.replace(tmp, "<tmp>")
    messages = [l.strip() for l in log.splitlines() if re.search(r"warning|error|tilt|scal|float|unsupported|not", l, re.I)
                and not l.startswith("Chris Rorden") and "Convert " not in l and "Conversion required" not in l
                and "Unable to determine manufacturer" not in l and "Empty protocol name" not in l]
    return written, messages


def dciodvfy(paths):
    errors, warnings_ = 0, 0
    first = None
    for p in paths:
        out = subprocess.run(["dciodvfy", p], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        lines = [l for l in out.splitlines() if l.startswith("Error")]
        errors += len(lines)
        warnings_ += sum(1 for l in out.splitlines() if l.startswith("Warning"))
        if lines and first is None:
            first = lines[0]
    return {"files": len(paths), "errors": errors, "warnings": warnings_, "first_error": first}


def fragments(path):
    """Fragments per frame and whether the Basic Offset Table is empty, as pydicom's encaps parser sees them."""
    ds = pydicom.dcmread(path)
    data = ds.PixelData
    fp = DicomBytesIO(data)
    fp.is_little_endian = True
    has_bot, offsets = get_frame_offsets(fp)
    n_frag = get_nr_fragments(fp)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frames = list(generate_pixel_data(data, int(ds.NumberOfFrames)))
    dump = run(["dcmdump", "+L", path]).stdout
    items = dump[dump.index("PixelSequence"):].count("(fffe,e000) pi")
    return {"transfer_syntax": str(ds.file_meta.TransferSyntaxUID), "basic_offset_table": bool(has_bot),
            "dcmdump_pixel_items": items,
            "offsets": offsets if has_bot else [], "fragments": n_frag,
            "pydicom_frames_split": len(frames), "pydicom_fragments_per_frame": [len(f) for f in frames],
            "pydicom_frame_bytes": [sum(len(x) for x in f) for f in frames],
            "pydicom_split_warnings": [str(w.message) for w in caught]}, [b"".join(f) for f in frames]


def pydicom_decode(path, expected_stored):
    """Whether pydicom decodes the pixel data and matches the stored values we wrote."""
    ds = pydicom.dcmread(path)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            arr = ds.pixel_array
        handler = [h.__name__.split(".")[-1] for h in pydicom.config.pixel_data_handlers
                   if h.is_available() and h.supports_transfer_syntax(ds.file_meta.TransferSyntaxUID)]
        return {"pydicom_decodes": bool(np.array_equal(arr.reshape(expected_stored.shape), expected_stored)),
                "pydicom_handlers_available": handler, "pydicom_warnings": [str(w.message) for w in caught]}
    except Exception as e:  # noqa: BLE001 - recorded in golden
        return {"pydicom_decodes": False, "pydicom_error": str(e).splitlines()[0][:200]}


GOLDEN = {}
PER_FRAME = {}
VALUE_OWNERS = {}  # digest of a values array -> first fixture that recorded it


def record(name, phys, geo, channels=1, **extra):
    """Golden entry; a values array identical to one recorded before is written as "values_same_as"."""
    phys = np.asarray(phys, np.float64)
    c, z, y, x = phys.shape
    entry = {"size_xyz": [x, y, z], "channels": channels}
    entry.update(values_entry(phys))
    digest = hashlib.sha256(repr(phys.shape).encode() + phys.tobytes()).hexdigest()
    if digest in VALUE_OWNERS:
        entry.pop("values", None)
        entry.pop("values_runs", None)
        entry["values_same_as"] = VALUE_OWNERS[digest]
    else:
        VALUE_OWNERS[digest] = name
    entry.update(geo)
    entry.update(extra)
    GOLDEN[name] = entry
    return entry


# ---------------------------------------------------------------- 1, 2: enhanced CT, uncompressed

def enhanced_ct():
    stored = phantom().astype(np.int32)  # (z, y, x), slice z at origin + z * spacing * normal
    hu = stored - 1024
    r = rotation([1, 2, 0.5], 20)
    row, col = r[:, 0], r[:, 1]
    normal = np.cross(row, col)
    spacing = [0.7, 0.8, 1.25]  # column spacing, row spacing, slice spacing
    origin = np.array([5.5, -7.25, 100.0])
    descending = np.arange(NZ)[::-1]  # storage frame k holds slice NZ-1-k (head to feet)
    positions = np.array([origin + z * spacing[2] * normal for z in descending])
    geo = geometry(origin, row, col, spacing)

    name = "enhanced_ct_native.dcm"
    ds = enhanced("native", "1.2.840.10008.5.1.4.1.1.2.1", "CT", stored[descending], positions, row, col,
                  [spacing[1], spacing[0]], spacing[2], rescale=(1, -1024))
    save(ds, os.path.join(OUT, name))
    phys, read_geo = pydicom_volume(os.path.join(OUT, name))
    assert np.array_equal(phys[0], hu) and np.allclose(read_geo["affine_lps"], geo["affine_lps"], atol=1e-5)
    record(name, hu[None], geo, frame_order="descending along the slice normal (frame 1 = last slice)",
           rescale={"slope": 1, "intercept": -1024, "type": "HU"})

    name = "enhanced_ct_per_frame_rescale.dcm"
    # storage frame k: slope 1 (k even) or 0.5 (k odd), intercept -1024 - k; stored = (HU - intercept) / slope
    rescales = [(1.0 / (1 + k % 2), -1024.0 - k) for k in range(NZ)]
    frames = np.array([(hu[z] - rescales[k][1]) / rescales[k][0] for k, z in enumerate(descending)])
    assert np.array_equal(frames, np.rint(frames))
    PER_FRAME.update(stored=frames, rescales=rescales, order=np.argsort(descending))
    ds = enhanced("per_frame", "1.2.840.10008.5.1.4.1.1.2.1", "CT", frames.astype(np.int32), positions, row, col,
                  [spacing[1], spacing[0]], spacing[2], per_frame_rescale=rescales)
    save(ds, os.path.join(OUT, name))
    phys, read_geo = pydicom_volume(os.path.join(OUT, name))
    assert np.array_equal(phys[0], hu) and np.allclose(read_geo["affine_lps"], geo["affine_lps"], atol=1e-5)
    record(name, hu[None], geo, frame_order="descending along the slice normal (frame 1 = last slice)",
           per_frame_rescale=[{"frame": k + 1, "slope": s, "intercept": i} for k, (s, i) in enumerate(rescales)])
    return phys, geo


# ---------------------------------------------------------------- 3: enhanced CT, RLE and JPEG lossless in fragments

def enhanced_ct_compressed():
    rows, cols, n = 32, 40, 6
    rng = np.random.default_rng(20240103)
    z, y, x = np.mgrid[0:n, 0:rows, 0:cols]
    hu = -900 + 40 * x + 15 * y + 50 * z + 900 * (((x - 20) ** 2 + (y - 16) ** 2) < 100)
    hu = hu + rng.integers(0, 16384, size=hu.shape)  # noise: every frame compresses to more than 2 kbytes
    stored = np.clip(hu + 1024, 0, 65535).astype(np.int32)
    hu = stored - 1024
    row, col = np.array([1.0, 0, 0]), np.array([0, 1.0, 0])
    spacing = [0.6, 0.5, 2.0]
    origin = np.array([-12.0, -8.0, -40.0])
    descending = np.arange(n)[::-1]
    positions = np.array([origin + k * spacing[2] * np.array([0, 0, 1.0]) for k in descending])
    geo = geometry(origin, row, col, spacing)
    native = os.path.join(TMP, "enhanced_ct_compressed_native.dcm")
    ds = enhanced("compressed", "1.2.840.10008.5.1.4.1.1.2.1", "CT", stored[descending], positions, row, col,
                  [spacing[1], spacing[0]], spacing[2], rescale=(1, -1024), signed=False)
    save(ds, native)
    expected_stored = stored[descending]
    with_bot = None
    for name, command in [("enhanced_ct_rle_fragments.dcm", ["dcmcrle", "+fs", "1", "+ot"]),
                          ("enhanced_ct_jpegll_fragments.dcm", ["dcmcjpeg", "+e1", "+fs", "1", "+ot"]),
                          ("enhanced_ct_jpegll_fragments_nobot.dcm", ["dcmcjpeg", "+e1", "+fs", "1", "-ot"])]:
        path = os.path.join(OUT, name)
        run(command + [native, path])
        info, split = fragments(path)
        if name.endswith("_nobot.dcm"):
            info["pydicom_split_equals_split_with_offset_table"] = split == with_bot
        elif "jpegll" in name:
            with_bot = split
        info.update(pydicom_decode(path, expected_stored))
        info["reference_decoders_match"] = reference_decoders(path, expected_stored)
        info["made_by"] = " ".join(command)
        record(name, hu[None], geo, frame_order="descending along the slice normal (frame 1 = last slice)",
               rescale={"slope": 1, "intercept": -1024, "type": "HU"}, encapsulation=info)
    return hu, geo


def reference_decoders(path, expected_stored):
    """Decodes with dcmtk (dcmdrle / dcmdjpeg) and GDCM (gdcmconv --raw); True if the stored values match."""
    out = {}
    ts = str(pydicom.dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID)
    dcmtk = ["dcmdrle"] if ts == "1.2.840.10008.1.2.5" else ["dcmdjpeg"]
    for tool, command in [("dcmtk", dcmtk), ("gdcm", ["gdcmconv", "--raw"])]:
        raw = os.path.join(TMP, "decoded.dcm")
        proc = subprocess.run(command + [path, raw], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            last = (proc.stdout.strip().splitlines() or [""])[-1][:120].replace(path, "<file>")
            out[tool] = "%s failed (exit %d): %s" % (" ".join(command), proc.returncode, last)
            continue
        arr = pydicom.dcmread(raw).pixel_array
        out[tool] = bool(np.array_equal(arr.reshape(expected_stored.shape), expected_stored))
    return out


# ---------------------------------------------------------------- single-frame series (MR for gdcmtar, tilted CT)

def write_single_frames(folder, key, sop_class, modality, stored, positions, row, col, pixel_spacing_rc, seed,
                        rescale=None, extra=None, signed=True):
    os.makedirs(folder, exist_ok=True)
    names = np.random.default_rng(seed).permutation(len(stored))  # file names unrelated to position
    paths = []
    for k in range(len(stored)):
        ds = base_dataset(sop_class, key, modality, instance=len(stored) - k)  # instance numbers reversed
        ds.FrameOfReferenceUID = uid(key, "for")
        ds.PositionReferenceIndicator = ""
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.Laterality = ""
        ds.AcquisitionNumber = 1
        ds.ImagePositionPatient = ds_str(positions[k])
        ds.ImageOrientationPatient = ds_str(list(row) + list(col), ".8f")
        ds.PixelSpacing = ds_str(pixel_spacing_rc)
        ds.Rows, ds.Columns = stored[k].shape
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1 if signed else 0
        if rescale is not None:
            ds.RescaleIntercept = ds_str([rescale[1]], ".4f")[0]
            ds.RescaleSlope = ds_str([rescale[0]], ".4f")[0]
        for kw, v in (extra or {}).items():
            setattr(ds, kw, v)
        ds.PixelData = stored[k].astype("<i2" if signed else "<u2").tobytes()
        path = os.path.join(folder, "IM%04d" % names[k])
        save(ds, path)
        paths.append(path)
    return sorted(paths)


def set_short_element(data, tag, vr, value):
    """Replaces the value of the first top-level element `tag` (explicit VR, 2-byte length) in a Part 10 file."""
    value = value.encode()
    if len(value) % 2:
        value += b"\0" if vr == b"UI" else b" "
    key = tag[0].to_bytes(2, "little") + tag[1].to_bytes(2, "little") + vr
    meta_end = 144 + int.from_bytes(data[140:144], "little")
    at = data.index(key, 132 if tag[0] == 2 else meta_end)
    length = int.from_bytes(data[at + 6:at + 8], "little")
    data = data[:at + 6] + len(value).to_bytes(2, "little") + value + data[at + 8 + length:]
    if tag[0] == 2:  # FileMetaInformationGroupLength (0002,0000) UL at bytes 140-143
        data = data[:140] + (meta_end - 144 + len(value) - length).to_bytes(4, "little") + data[144:]
    return data


def enhanced_mr_gdcmtar():
    n = 8
    stored = phantom()[:n].astype(np.int32)  # MR: no rescale, values are the phantom's stored values
    r = rotation([0.3, -1, 0.8], 25)
    row, col = r[:, 0], r[:, 1]
    normal = np.cross(row, col)
    spacing = [0.9, 0.8, 1.5]
    origin = np.array([-20.0, 14.5, -3.25])
    positions = [origin + z * spacing[2] * normal for z in range(n)]
    src = os.path.join(TMP, "mr_series")
    extra = {"ScanningSequence": "GR", "SequenceVariant": "NONE", "ScanOptions": "", "MRAcquisitionType": "2D",
             "RepetitionTime": "10", "EchoTime": "5", "EchoTrainLength": "1", "SliceThickness": "1.5",
             "SpacingBetweenSlices": "1.5", "MagneticFieldStrength": "3", "ImagingFrequency": "127.7",
             "ImagedNucleus": "1H", "ImageType": ["ORIGINAL", "PRIMARY", "OTHER"]}
    write_single_frames(src, "mr", "1.2.840.10008.5.1.4.1.1.4", "MR", stored, positions, row, col,
                        [spacing[1], spacing[0]], 11, extra=extra, signed=False)
    folder = os.path.join(OUT, "enhanced_mr_gdcmtar")
    os.makedirs(folder)
    tar_out = os.path.join(TMP, "gdcmtar_out")
    log = run(["gdcmtar", "--enhance", "-i", src, "-o", tar_out]).stdout
    made = [os.path.join(d, f) for d, _, fs in os.walk(tar_out) for f in fs if f == "new.dcm"]
    assert len(made) == 1, (made, log)
    data = open(made[0], "rb").read()
    ds = pydicom.dcmread(made[0])
    # gdcmtar stamps today's StudyDate/StudyTime and random UIDs of varying length: rewrite these elements
    # (explicit VR little endian, 2-byte lengths) and correct the meta group length; all other bytes are gdcmtar's
    assert str(ds.file_meta.TransferSyntaxUID) == ExplicitVRLittleEndian
    for tag, vr, value in [((0x0002, 0x0003), b"UI", uid("gdcmtar", "sop")),
                           ((0x0008, 0x0018), b"UI", uid("gdcmtar", "sop")),
                           ((0x0008, 0x0020), b"DA", DATE), ((0x0008, 0x0030), b"TM", TIME),
                           ((0x0020, 0x000D), b"UI", uid("study")), ((0x0020, 0x000E), b"UI", uid("gdcmtar", "series"))]:
        data = set_short_element(data, tag, vr, value)
    # the same series without SpacingBetweenSlices: gdcmtar then writes 1 and spaces the frames 1 mm apart
    src2 = os.path.join(TMP, "mr_series_no_sbs")
    del extra["SpacingBetweenSlices"]
    write_single_frames(src2, "mr", "1.2.840.10008.5.1.4.1.1.4", "MR", stored, positions, row, col,
                        [spacing[1], spacing[0]], 11, extra=extra, signed=False)
    run(["gdcmtar", "--enhance", "-i", src2, "-o", os.path.join(TMP, "gdcmtar_out2")])
    other = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(TMP, "gdcmtar_out2")) for f in fs if f == "new.dcm"][0]
    _, other_geo = pydicom_volume(other)
    without_sbs = {"SpacingBetweenSlices_written": str(pydicom.dcmread(other).SharedFunctionalGroupsSequence[0]
                                                       .PixelMeasuresSequence[0].SpacingBetweenSlices),
                   "frame_position_step_mm": round(other_geo["spacing_xyz"][2], 6), "true_step_mm": spacing[2]}
    name = os.path.join("enhanced_mr_gdcmtar", "enhanced_mr.dcm")
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    ds = pydicom.dcmread(path)
    assert ds.StudyDate == DATE and ds.StudyTime.startswith(TIME[:6])
    phys, geo = pydicom_volume(path)
    ours = geometry(np.array(ds_str(origin), float), row, col, spacing)
    assert np.array_equal(phys[0], stored), "gdcmtar changed the values or their order"
    assert np.allclose(geo["affine_lps"], ours["affine_lps"], atol=1e-5), (geo, ours)
    record(name, phys, geo, made_by="gdcmtar --enhance -i <8 single-frame MR files> -o <dir> (" +
           str(ds.file_meta.ImplementationVersionName) + "); file " + os.path.relpath(made[0], tar_out).split(os.sep)[-1],
           transfer_syntax=str(ds.file_meta.TransferSyntaxUID), sop_class=str(ds.SOPClassUID),
           gdcmtar_input_without_spacing_between_slices=without_sbs,
           patched_after_gdcmtar="values of MediaStorageSOPInstanceUID, SOPInstanceUID, StudyInstanceUID, "
                                 "SeriesInstanceUID, StudyDate, StudyTime replaced by fixed ones (and the meta group "
                                 "length corrected); every other byte is gdcmtar's")
    return path


def tilt_series():
    stored = phantom().astype(np.int32)
    hu = stored - 1024
    tilt = 15.0
    t = np.radians(tilt)
    row, col = np.array([1.0, 0, 0]), np.array([0, np.cos(t), -np.sin(t)])
    normal = np.cross(row, col)  # (0, sin, cos)
    step = np.array([0, 0, 2.5])  # table moves along patient z: not parallel to the normal
    spacing = [0.7, 0.8]
    origin = np.array([-8.4, -20.0, -55.0])
    positions = [origin + z * step for z in range(NZ)]
    geo = geometry(origin, row, col, [spacing[0], spacing[1], float(step @ normal)], normal=normal, step=step)
    geo["slice_step_lps"] = [float(v) for v in step]
    paths = {}
    for name, extra in [("tilt", {"GantryDetectorTilt": ds_str([tilt], ".1f")[0], "SliceThickness": "2.5"}),
                        ("tilt_no_tag", {"SliceThickness": "2.5"})]:
        extra.update({"ConvolutionKernel": "STANDARD", "KVP": "120"})
        paths[name] = write_single_frames(os.path.join(OUT, name), name, "1.2.840.10008.5.1.4.1.1.2", "CT", stored,
                                          positions, row, col, [spacing[1], spacing[0]], 21, rescale=(1, -1024), extra=extra)
        record(name, hu[None], geo, gantry_detector_tilt=tilt if name == "tilt" else None,
               note="sheared: consecutive ImagePositionPatient differ by slice_step_lps (patient z), the slice normal is "
                    "tilted by 15 degrees; spacing_xyz[2] is the distance between slice planes (2.5 cos 15), "
                    "affine_lps maps (column,row,slice) to LPS exactly (third column = slice_step_lps)")
    return paths, geo, hu


# ---------------------------------------------------------------- 6, 7: colour (secondary capture, no geometry in the file)

NO_GEOMETRY = {"origin_lps": [0.0, 0.0, 0.0], "spacing_xyz": [1.0, 1.0, 1.0],
               "direction": [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0], "geometry_in_file": False,
               "affine_lps": [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]}


def secondary_capture(key, rows, cols):
    ds = base_dataset("1.2.840.10008.5.1.4.1.1.7", key, "OT")
    ds.ConversionType = "WSD"
    ds.Laterality = ""
    ds.PatientOrientation = ""
    ds.BurnedInAnnotation = "NO"
    ds.Rows, ds.Columns = rows, cols
    return ds


def palette(name, indices, bits_stored, descriptor, luts):
    ds = secondary_capture(name, *indices.shape)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "PALETTE COLOR"
    ds.BitsAllocated = 8 if bits_stored == 8 else 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0
    for i, colour in enumerate(["Red", "Green", "Blue"]):
        ds.add_new(0x00281101 + i, "US", list(descriptor))
        ds.add_new(0x00281201 + i, "OW", luts[i].astype("<u2").tobytes())
    ds.PixelData = indices.astype("u1" if bits_stored == 8 else "<u2").tobytes()
    path = os.path.join(OUT, name)
    save(ds, path)
    ds = pydicom.dcmread(path)
    rgb = apply_color_lut(ds.pixel_array, ds).astype(np.float64)  # (rows, cols, 3), LUT entries as stored (16 bit)
    phys = rgb.transpose(2, 0, 1)[:, None]
    # GDCM's --apply-lut writes RGB; compare with pydicom's result
    gdcm_rgb = os.path.join(TMP, "gdcm_rgb.dcm")
    proc = subprocess.run(["gdcmconv", "--apply-lut", path, gdcm_rgb], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        last = proc.stdout.strip().splitlines()[-1][:160]
        check = {"gdcm": "gdcmconv --apply-lut failed (exit %d): %s" % (proc.returncode, last)}
    else:
        g = pydicom.dcmread(gdcm_rgb)
        garr = np.asarray(g.pixel_array, np.float64)
        check = {"gdcm_photometric": str(g.PhotometricInterpretation), "gdcm_bits_allocated": int(g.BitsAllocated),
                 "gdcm_equals_pydicom": bool(garr.shape == rgb.shape and np.array_equal(garr, rgb))}
        if not check["gdcm_equals_pydicom"] and garr.shape == rgb.shape:
            check["gdcm_equals_pydicom_high_byte"] = bool(np.array_equal(garr, np.floor(rgb / 256)))
            check["gdcm_max_difference_from_high_byte"] = num(np.abs(garr - np.floor(rgb / 256)).max())
    # dcmtk's dcm2pnm as a second reference (16-bit ASCII PPM)
    ppm = os.path.join(TMP, "dcmtk.ppm")
    run(["dcm2pnm", "+opw", path, ppm])
    tokens = open(ppm).read().split()
    w, h, maxval = int(tokens[1]), int(tokens[2]), int(tokens[3])
    parr = np.array(tokens[4:4 + w * h * 3], np.float64).reshape(h, w, 3)
    check["dcmtk_dcm2pnm_maxval"] = maxval
    check["dcmtk_equals_pydicom"] = bool(np.array_equal(parr, rgb))
    if not check["dcmtk_equals_pydicom"]:
        check["dcmtk_max_difference"] = num(np.abs(parr - rgb).max())
    record(name, phys, dict(NO_GEOMETRY), channels=3, palette_descriptor=list(descriptor),
           stored=[num(v) for v in indices.reshape(-1)], values_from="pydicom.pixel_data_handlers.util.apply_color_lut",
           gdcm_apply_lut=check)
    return path


def palettes():
    rows, cols = 12, 16
    y, x = np.mgrid[0:rows, 0:cols]
    e = np.arange(256) / 255.0
    luts8 = [np.rint(65535 * e), np.rint(65535 * e ** 2), np.rint(65535 * (1 - e) ** 0.5)]
    indices8 = (x + cols * y) % 256  # 0..191, then from the top:
    indices8 = np.where((x + y) % 5 == 0, 255 - indices8, indices8)
    p8 = palette("palette8.dcm", indices8.astype(np.int32), 8, (256, 0, 16), luts8)
    e = np.arange(1024) / 1023.0
    luts16 = [np.rint(65535 * e), np.rint(65535 * (0.5 + 0.5 * np.sin(6 * e))), np.rint(40000 * (1 - e) + 1000)]
    indices16 = np.rint(np.linspace(0, 1300, rows * cols)).astype(np.int32).reshape(rows, cols)
    indices16[0, :4] = [99, 100, 101, 4095]
    indices16[-1, -4:] = [1122, 1123, 1124, 1125]
    p16 = palette("palette16.dcm", indices16, 12, (1024, 100, 16), luts16)
    return [p8, p16]


def ybr():
    rows, cols = 20, 24
    y, x = np.mgrid[0:rows, 0:cols]
    rgb = np.stack([x * 255 // (cols - 1), y * 255 // (rows - 1), 255 - (x + y) * 255 // (rows + cols - 2)], axis=-1)
    rgb[:3, :3] = [255, 0, 0]
    rgb[:3, -3:] = [0, 255, 0]
    rgb[-3:, :3] = [0, 0, 255]
    rgb[-3:, -3:] = [255, 255, 255]
    stored = convert_color_space(rgb.astype(np.uint8), "RGB", "YBR_FULL")
    ds = secondary_capture("ybr_full.dcm", rows, cols)
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = "YBR_FULL"
    ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = stored.tobytes()
    path = os.path.join(OUT, "ybr_full.dcm")
    save(ds, path)
    arr = pydicom.dcmread(path).pixel_array
    assert np.array_equal(arr, stored)
    out = convert_color_space(arr, "YBR_FULL", "RGB").astype(np.float64)
    record("ybr_full.dcm", out.transpose(2, 0, 1)[:, None], dict(NO_GEOMETRY), channels=3,
           stored=[num(v) for v in arr.transpose(2, 0, 1).reshape(-1)],
           values_from="pydicom.pixel_data_handlers.util.convert_color_space(ds.pixel_array, 'YBR_FULL', 'RGB')",
           rgb_before_encoding_max_difference=num(np.abs(out - rgb).max()))
    # the existing file from pydicom's test data (not copied, not modified)
    ds = pydicom.dcmread(EXISTING_422)
    arr = ds.pixel_array  # numpy_handler.get_pixeldata: Y1 Y2 Cb Cr -> Y1 Cb Cr Y2 Cb Cr (each chroma pair repeated)
    out = convert_color_space(arr, "YBR_FULL_422", "RGB").astype(np.float64)
    geo = dict(NO_GEOMETRY)
    geo["spacing_xyz"] = [1.0, 1.0, 1.0]  # PixelSpacing 1\1 in the file, no position or orientation
    record("SC_ybr_full_422_uncompressed.dcm", out.transpose(2, 0, 1)[:, None], geo, channels=3,
           location="../dicom/SC_ybr_full_422_uncompressed.dcm",
           values_from="ds.pixel_array (pydicom 2.3 numpy_handler.get_pixeldata expands 4:2:2 by repeating each Cb/Cr "
                       "pair for both pixels of a column pair) then pydicom.pixel_data_handlers.util.convert_color_space("
                       "arr, 'YBR_FULL_422', 'RGB') (= _convert_YBR_FULL_to_RGB)")
    return path


# ---------------------------------------------------------------- 8: float pixel data (parametric map)

def floats():
    rows, cols, n = 12, 16, 4
    z, y, x = np.mgrid[0:n, 0:rows, 0:cols]
    v32 = (x - 7.5) * 0.625 + (y - 6) * 0.25 - z * 3.5 + 0.125 * ((x * y) % 3)  # multiples of 1/8: exact in float32
    v32[1, 2, 3] = -1234.5
    v32[2, 5, 7] = 98765.25
    v64 = np.round(v32 + 0.1 * ((x + y + z) % 7) + 0.0001 * x, 4)  # not representable in float32
    row, col = np.array([0, 1.0, 0]), np.array([0, 0, -1.0])
    spacing = [1.5, 1.25, 3.0]
    origin = np.array([-30.0, -12.0, 45.0])
    normal = np.cross(row, col)
    positions = np.array([origin + k * spacing[2] * normal for k in range(n)])
    geo = geometry(origin, row, col, spacing)
    paths = []
    for name, values, kind, dtype in [("float32.dcm", v32, "float", np.float32), ("float64.dcm", v64, "double", np.float64)]:
        ds = enhanced(name, "1.2.840.10008.5.1.4.1.1.30", "MR", values.astype(dtype), positions, row, col,
                      [spacing[1], spacing[0]], spacing[2], float_kind=kind)
        path = os.path.join(OUT, name)
        save(ds, path)
        phys, read_geo = pydicom_volume(path)
        assert np.array_equal(phys[0], values.astype(dtype).astype(np.float64)), name
        assert np.allclose(read_geo["affine_lps"], geo["affine_lps"])
        record(name, phys, geo, pixel_data_element="FloatPixelData (7FE0,0008)" if kind == "float"
               else "DoubleFloatPixelData (7FE0,0009)", values_from="pydicom ds.pixel_array (numpy_handler)")
        paths.append(path)
    return paths


# ---------------------------------------------------------------- 10-15: NIfTI written by nibabel, headers edited

def load_with_nibabel(path):
    """What nibabel 5.0 makes of a file: affine, zooms, shape, and every warning or log record (WARNING and up)."""
    records = []

    class Collect(logging.Handler):
        def emit(self, rec):
            records.append("%s: %s" % (rec.levelname if rec.levelno in (30, 40, 50) else "level %d" % rec.levelno,
                                       rec.getMessage()))

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("nibabel")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    entry = {}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                img = nib.load(path)
                data = np.asarray(img.get_fdata(), np.float64)
                entry = {"shape": list(img.shape), "affine": [[float(v) for v in r] for r in img.affine],
                         "zooms": [float(v) for v in img.header.get_zooms()],
                         "qform_code": int(img.header["qform_code"]), "sform_code": int(img.header["sform_code"])}
            except Exception as e:  # noqa: BLE001 - recorded in golden
                data = None
                entry = {"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0])}
        entry["warnings"] = ["%s: %s" % (w.category.__name__, w.message) for w in caught] + records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return entry, data


def raw_header(path):
    data = gzip.decompress(open(path, "rb").read()) if open(path, "rb").read(2) == b"\x1f\x8b" else open(path, "rb").read()
    h = np.frombuffer(data[:348], dtype=nib.nifti1.header_dtype)[0]
    return {"pixdim_in_file": [float(v) for v in h["pixdim"][:4]], "qform_code_in_file": int(h["qform_code"]),
            "sform_code_in_file": int(h["sform_code"])}


def patch_pixdim(path, pixdim123):
    data = bytearray(open(path, "rb").read())
    data[80:92] = np.asarray(pixdim123, "<f4").tobytes()  # pixdim[1..3]; pixdim starts at byte 76
    with open(path, "wb") as f:
        f.write(bytes(data))


def niftis():
    base = (np.arange(60).reshape(5, 4, 3, order="F") * 7 - 100).astype(np.int16)
    q = np.eye(4)
    q[:3, :3] = rotation([0.2, 0.3, 1.0], 30) @ np.diag([0.8, 0.9, 2.5])
    q[:3, 3] = [10.0, -20.5, 30.25]
    s = np.array([[-0.75, 0.1, 0.0, 91.0], [0.05, 0.85, 0.3, -125.5], [0.0, -0.2, 2.4, 33.0], [0, 0, 0, 1]])
    specs = {"pixdim_negative_noqform.nii": (None, None, [-0.8, 0.9, -2.5]),
             "pixdim_negative_qform.nii": (q, None, [-0.8, 0.9, -2.5]),
             "pixdim_zero_noqform.nii": (None, None, [0.8, 0.0, 2.5]),
             "pixdim_zero_qform.nii": (q, None, [0.8, 0.0, 2.5]),
             "pixdim_negative_sform.nii": (None, s, [-0.8, 0.9, -2.5])}
    for name, (qform, sform, pixdim) in specs.items():
        img = nib.Nifti1Image(base, None)
        img.header.set_zooms([abs(v) or 1.0 for v in pixdim])
        img.set_qform(qform, code=1 if qform is not None else 0)
        img.set_sform(sform, code=2 if sform is not None else 0)
        path = os.path.join(OUT, name)
        nib.save(img, path)
        patch_pixdim(path, pixdim)
        entry, data = load_with_nibabel(path)
        entry.update(raw_header(path))
        entry["values"] = [num(v) for v in data.reshape(-1, order="F")] if data is not None else None
        GOLDEN[name] = entry

    rng = np.random.default_rng(20240114)
    shape = (32, 32, 8)
    x, y, z = np.mgrid[0:shape[0], 0:shape[1], 0:shape[2]]
    hu = -1000 + 2500 * ((x + y + 2 * z) / (shape[0] + shape[1] + 2 * shape[2]))
    hu = np.clip(hu + rng.normal(0, 40, shape), -1000, 1500).astype(np.float32)
    flat = hu.reshape(-1, order="F")  # x fastest
    where = rng.choice(flat.size, 340, replace=False)
    kinds = {"nan": np.sort(where[:300]), "posinf": np.sort(where[300:320]), "neginf": np.sort(where[320:])}
    flat[kinds["nan"]], flat[kinds["posinf"]], flat[kinds["neginf"]] = np.nan, np.inf, -np.inf
    hu = flat.reshape(shape, order="F")
    name = "nan_inf.nii.gz"
    affine = np.diag([-0.9, -0.9, 3.0, 1.0])
    affine[:3, 3] = [14.0, 14.0, -10.5]
    nib.save(nib.Nifti1Image(hu, affine), os.path.join(OUT, name))
    entry, data = load_with_nibabel(os.path.join(OUT, name))
    entry.update(raw_header(os.path.join(OUT, name)))
    finite = np.isfinite(data)
    entry.update({"count_nan": int(np.isnan(data).sum()), "count_posinf": int(np.isposinf(data).sum()),
                  "count_neginf": int(np.isneginf(data).sum()),
                  "finite_sum": float(data[finite].sum()), "finite_min": float(data[finite].min()),
                  "finite_max": float(data[finite].max())})
    for k, idx in kinds.items():
        entry["index_" + k] = [int(i) for i in idx]  # flat index, x fastest
        entry["ijk_" + k] = [[int(i % shape[0]), int(i // shape[0] % shape[1]), int(i // (shape[0] * shape[1]))]
                             for i in idx]
    assert entry["count_nan"] == 300 and entry["count_posinf"] == 20 and entry["count_neginf"] == 20
    GOLDEN[name] = entry

    name = "gzip_named_nii.nii"
    img = nib.Nifti1Image(base.astype(np.float32) / 4, s)
    raw = img.to_bytes()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(gzip.compress(raw, compresslevel=9, mtime=0))
    entry, _ = load_with_nibabel(os.path.join(OUT, name))
    inside = nib.Nifti1Image.from_bytes(raw)
    entry["content"] = {"shape": list(inside.shape), "affine": [[float(v) for v in r] for r in inside.affine],
                        "zooms": [float(v) for v in inside.header.get_zooms()],
                        "values": [num(v) for v in np.asarray(inside.get_fdata()).reshape(-1, order="F")]}
    entry["note"] = ("gzip stream (mtime 0) of a valid .nii; 'content' is what it holds, read by nibabel from the "
                     "decompressed bytes")
    GOLDEN[name] = entry


# ---------------------------------------------------------------- main

def write_golden():
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        f.write("{\n")
        keys = list(GOLDEN)
        for i, k in enumerate(keys):
            f.write(json.dumps(k) + ": " + json.dumps(GOLDEN[k], separators=(",", ":"), allow_nan=False))
            f.write(",\n" if i < len(keys) - 1 else "\n")
        f.write("}\n")


def nifti_data(path):
    img = nib.load(path)
    data = np.asanyarray(img.dataobj)
    if data.dtype.names:  # RGB24
        data = np.stack([data[n] for n in data.dtype.names], axis=-1).astype(np.float64)
    else:
        data = np.asarray(img.get_fdata(), np.float64)
    return img, (data if data.ndim == 4 else data[..., None])


REINDEX = [("same order", False, False), ("rows reversed", True, False), ("slices reversed", False, True),
           ("rows and slices reversed", True, True)]


def compare_nifti(path, phys, geo):
    """dcm2niix's NIfTI against our golden: first the plain re-indexing (dcm2niix reverses the rows) under which
    the voxel values are ours; then, if the file has geometry, how far apart both affines put each voxel pair."""
    img, data = nifti_data(path)
    ours = phys.transpose(3, 2, 1, 0)  # (x, y, z, c)
    result = {"file": os.path.basename(path), "shape": list(img.shape)}
    match = None
    if data.shape == ours.shape:
        for label, fy, fz in REINDEX:
            view = data[:, ::-1 if fy else 1, ::-1 if fz else 1]
            if np.array_equal(view, ours):
                match = (label, fy, fz)
                break
        result["voxel_order_vs_golden"] = match[0] if match else None
        if not match:
            result["max_value_difference_rows_reversed"] = num(np.abs(data[:, ::-1] - ours).max())
    else:
        result["voxel_order_vs_golden"] = None
    if not match and "stored" in geo:  # palette indices or YBR samples copied without conversion?
        stored = np.array(geo["stored"], np.float64).reshape(-1, *phys.shape[1:]).transpose(3, 2, 1, 0)
        result["equals_stored_values_rows_reversed"] = bool(stored.shape == data.shape and
                                                             np.array_equal(data[:, ::-1], stored))
    if geo.get("geometry_in_file", True):
        nx, ny, nz = geo["size_xyz"]
        fy, fz = (match[1], match[2]) if match else (True, False)  # dcm2niix's usual order
        i, j, k = np.mgrid[0:nx, 0:ny, 0:nz].reshape(3, -1)
        ours_ijk = np.vstack([i, ny - 1 - j if fy else j, nz - 1 - k if fz else k, np.ones(i.size)])
        mine = np.array(geo["affine_lps"]) @ ours_ijk
        theirs = np.diag([-1.0, -1.0, 1.0, 1.0]) @ img.affine @ np.vstack([i, j, k, np.ones(i.size)])
        result["max_position_error_mm"] = round(float(np.abs(mine - theirs).max()), 6)
    result["agrees"] = bool(match) and result.get("max_position_error_mm", 0) < 1e-3
    return result


def tilt_check(path, phys, geo):
    """dcm2niix's tilt-corrected NIfTI against our own resampling of the sheared series. dcm2niix works in its
    row order (reversed from DICOM's): output row r of slice k takes source row rI = r - k * shift, where shift is
    the in-plane part of the slice step in rows, linearly interpolated between rows floor(rI) and floor(rI) + 1
    (the last row repeated), rounded half away from zero; rows with rI outside [0, rows) get the volume's minimum.
    The true position of output voxel (i, r, k) is that of source (i, rows - 1 - rI, k) in our sheared affine."""
    img, data = nifti_data(path)
    c, nz, ny, nx = phys.shape
    a = np.array(geo["affine_lps"])
    col_vec, step = a[:3, 1], a[:3, 2]
    dy = np.linalg.norm(col_vec)
    shift = -float(step @ col_vec) / dy ** 2  # rows per slice, in dcm2niix's reversed row order
    nr = data.shape[1]
    x, r, k = np.mgrid[0:nx, 0:nr, 0:nz]
    ri = r - shift * k
    inside = (ri >= -1e-6) & (ri < ny)
    lo = np.clip(np.floor(ri + 1e-9).astype(int), 0, ny - 1)
    hi = np.minimum(lo + 1, ny - 1)
    frac = np.clip(ri - lo, 0, 1)
    src = phys[0].transpose(2, 1, 0)[:, ::-1, :]  # (x, dcm2niix row, slice)
    interp = (1 - frac) * src[x, lo, k] + frac * src[x, hi, k]
    expected = np.where(inside, np.sign(interp) * np.floor(np.abs(interp) + 0.5), src.min())
    diff = np.abs(data[..., 0] - expected)
    true_affine = np.eye(4)  # world of output voxel (i, r, k) = A @ (i, ny - 1 - r + shift k, k)
    true_affine[:3, 0] = a[:3, 0]
    true_affine[:3, 1] = -col_vec
    true_affine[:3, 2] = step + shift * col_vec
    true_affine[:3, 3] = a[:3, 3] + (ny - 1) * col_vec
    theirs = np.diag([-1.0, -1.0, 1.0, 1.0]) @ img.affine
    corners = np.array([[i, j, kk, 1] for i in (0, nx - 1) for j in (0, nr - 1) for kk in (0, nz - 1)]).T
    return {"file": os.path.basename(path), "shape": list(img.shape), "rows_added": int(nr - ny),
            "shift_rows_per_slice": round(shift, 6), "fill_value": num(src.min()),
            "voxels_filled": int((~inside).sum()),
            "max_difference_from_our_linear_interpolation": num(diff.max()),
            "voxels_differing_by_more_than_1": int((diff > 1).sum()),
            "expected_affine_lps": [[round(float(v), 6) for v in rr] for rr in true_affine],
            "dcm2niix_affine_lps": [[round(float(v), 6) for v in rr] for rr in theirs],
            "max_position_error_mm": round(float(np.abs((theirs - true_affine) @ corners).max()), 6)}


def cross_check(name, source, stem=None, *extra):
    """dcm2niix on the file (or series folder); records the NIfTI names and the comparison with our golden."""
    stem = stem or re.sub(r"[^A-Za-z0-9]+", "_", name.replace(".dcm", "")).strip("_")
    written, messages = dcm2niix(source, stem, *extra)
    entry = GOLDEN[name]
    phys = golden_values(name)
    checks = []
    for f in written:
        path = os.path.join(NII_OUT, f)
        if "_Tilt" in f:
            checks.append(tilt_check(path, phys, entry))
            continue
        checks.append(compare_nifti(path, phys, entry))
    entry["dcm2niix"] = written[0] if len(written) == 1 else written
    entry["dcm2niix_check"] = checks
    if messages:
        entry["dcm2niix_messages"] = messages
    return checks


def single_rescale_explains(name, nii, stored_frames, rescales, order):
    """Which storage frame's rescale, applied to every frame, reproduces dcm2niix's values (None if none does)."""
    _, data = nifti_data(nii)
    data = data[:, ::-1, :, 0].transpose(2, 1, 0)  # (slices sorted, rows, cols)
    for m, (slope, intercept) in enumerate(rescales):
        if np.array_equal(data, stored_frames[order] * slope + intercept):
            return m + 1
    return None


def golden_values(name):
    e = GOLDEN[name]
    while "values_same_as" in e:
        e = GOLDEN[e["values_same_as"]]
    flat = np.array(e["values"], np.float64) if "values" in e else np.concatenate(
        [np.full(c, v, np.float64) for v, c in e["values_runs"]])
    x, y, z = GOLDEN[name]["size_xyz"]
    return flat.reshape(GOLDEN[name]["channels"], z, y, x)


if __name__ == "__main__":
    TMP = tempfile.mkdtemp()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(NII_OUT)
    enhanced_ct()
    enhanced_ct_compressed()
    mr = enhanced_mr_gdcmtar()
    tilt_paths, tilt_geo, tilt_hu = tilt_series()
    pal = palettes()
    ybr()
    floats()
    niftis()

    for name in ["enhanced_ct_native.dcm", "enhanced_ct_per_frame_rescale.dcm", "enhanced_ct_rle_fragments.dcm",
                 "enhanced_ct_jpegll_fragments.dcm", "enhanced_ct_jpegll_fragments_nobot.dcm", "palette8.dcm",
                 "palette16.dcm", "ybr_full.dcm", "float32.dcm", "float64.dcm"]:
        cross_check(name, os.path.join(OUT, name))
        GOLDEN[name]["dciodvfy"] = dciodvfy([os.path.join(OUT, name)])
    # dcm2niix refuses frames split over several fragments: cross-check the geometry on dcmdrle's decompressed copy
    plain = os.path.join(TMP, "enhanced_ct_fragments_decompressed.dcm")
    run(["dcmdrle", os.path.join(OUT, "enhanced_ct_rle_fragments.dcm"), plain])
    checks = cross_check("enhanced_ct_rle_fragments.dcm", plain, "enhanced_ct_fragments_decompressed_by_dcmdrle")
    for name in ["enhanced_ct_jpegll_fragments.dcm", "enhanced_ct_jpegll_fragments_nobot.dcm"]:
        GOLDEN[name]["dcm2niix"] = GOLDEN["enhanced_ct_rle_fragments.dcm"]["dcm2niix"]
        GOLDEN[name]["dcm2niix_check"] = checks
    for name in ["enhanced_ct_rle_fragments.dcm", "enhanced_ct_jpegll_fragments.dcm",
                 "enhanced_ct_jpegll_fragments_nobot.dcm"]:
        GOLDEN[name]["dcm2niix_note"] = ("dcm2niix refuses the file itself ('Compressed image stored as 18 fragments: "
                                         "decompress with gdcmconv, Osirix, dcmdjpeg or dcmjp2k'); the NIfTI is dcm2niix's "
                                         "conversion of dcmdrle's decompressed copy of the RLE file (same pixels "
                                         "and geometry)")
    e = GOLDEN["enhanced_ct_per_frame_rescale.dcm"]
    m = single_rescale_explains("enhanced_ct_per_frame_rescale.dcm", os.path.join(NII_OUT, e["dcm2niix"]),
                                PER_FRAME["stored"], PER_FRAME["rescales"], PER_FRAME["order"])
    e["dcm2niix_note"] = ("dcm2niix applies the rescale of stored frame %s to every frame" % m) if m else \
        "dcm2niix's values differ and no single frame's rescale explains them"
    name = "enhanced_mr_gdcmtar/enhanced_mr.dcm"
    cross_check(name, mr)
    GOLDEN[name]["dciodvfy"] = dciodvfy([mr])
    for name in ["tilt", "tilt_no_tag"]:
        cross_check(name, os.path.join(OUT, name))
        GOLDEN[name]["dciodvfy"] = dciodvfy(tilt_paths[name])
    write_golden()
    shutil.rmtree(TMP)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print("pydicom", pydicom.__version__, "nibabel", nib.__version__, "wrote", len(GOLDEN), "golden entries,",
          total, "bytes, to", os.path.normpath(OUT))
