#!/usr/bin/env python3
"""DOCSTRING PLACEHOLDER"""
import gzip
import hashlib
import io
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
    ds.AcquisitionNumber = 1
    ds.AcquisitionDateTime = DATE + TIME
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
        ds.ImageType = ["DERIVED", "PRIMARY", "AXIAL", "NONE"]
        ds.PixelPresentation = "MONOCHROME"
        ds.VolumetricProperties = "VOLUME"
        ds.VolumeBasedCalculationTechnique = "NONE"
        ds.PresentationLUTShape = "IDENTITY"
    else:  # parametric map
        ds.ImageType = ["DERIVED", "PRIMARY"]
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
    shared.PixelMeasuresSequence = Sequence([item(PixelSpacing=ds_str(pixel_spacing_rc), SliceThickness=ds_str([slice_spacing])[0],
                                                  SpacingBetweenSlices=ds_str([slice_spacing])[0])])
    shared.PlaneOrientationSequence = Sequence([item(ImageOrientationPatient=ds_str(list(row) + list(col), ".8f"))])
    shared.FrameAnatomySequence = Sequence([item(AnatomicRegionSequence=Sequence([code("818981001", "SCT", "Abdomen")]),
                                                 FrameLaterality="U")])
    if rescale is not None:
        shared.PixelValueTransformationSequence = Sequence([item(RescaleIntercept=ds_str([rescale[1]], ".4f")[0],
                                                                 RescaleSlope=ds_str([rescale[0]], ".4f")[0],
                                                                 RescaleType="HU")])
    if modality == "CT":
        shared.CTImageFrameTypeSequence = Sequence([item(FrameType=["DERIVED", "PRIMARY", "AXIAL", "NONE"],
                                                         PixelPresentation="MONOCHROME", VolumetricProperties="VOLUME",
                                                         VolumeBasedCalculationTechnique="NONE")])
        shared.IrradiationEventIdentificationSequence = Sequence([item(IrradiationEventUID=uid(key, "irradiation"))])
    else:
        shared.ParametricMapFrameTypeSequence = Sequence([item(FrameType=["DERIVED", "PRIMARY"])])
        shared.RealWorldValueMappingSequence = Sequence([item(
            LUTExplanation="identity", LUTLabel="IDENTITY", MeasurementUnitsCodeSequence=Sequence([code("1", "UCUM", "no units")]),
            RealWorldValueIntercept=0.0, RealWorldValueSlope=1.0, RealWorldValueFirstValueMapped=0,
            RealWorldValueLastValueMapped=0, QuantityDefinitionSequence=Sequence([]))])
        if float_kind == "float":
            shared.RealWorldValueMappingSequence[0].DoubleFloatRealWorldValueFirstValueMapped = -1e6
            shared.RealWorldValueMappingSequence[0].DoubleFloatRealWorldValueLastValueMapped = 1e6
            del shared.RealWorldValueMappingSequence[0].RealWorldValueFirstValueMapped
            del shared.RealWorldValueMappingSequence[0].RealWorldValueLastValueMapped
        else:
            shared.RealWorldValueMappingSequence[0].DoubleFloatRealWorldValueFirstValueMapped = -1e6
            shared.RealWorldValueMappingSequence[0].DoubleFloatRealWorldValueLastValueMapped = 1e6
            del shared.RealWorldValueMappingSequence[0].RealWorldValueFirstValueMapped
            del shared.RealWorldValueMappingSequence[0].RealWorldValueLastValueMapped
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


def compare_nifti(nii_path, phys, geo):
    """Maps every voxel of dcm2niix's NIfTI to our (column,row,slice) index via both affines; checks values."""
    img = nib.load(nii_path)
    data = np.asanyarray(img.dataobj)
    if data.dtype.names:  # RGB24
        data = np.stack([data[n] for n in data.dtype.names], axis=-1).astype(np.float64)
    else:
        data = np.asarray(img.get_fdata(), np.float64)
    if data.ndim == 3:
        data = data[..., None]
    lps_from_nii = np.diag([-1.0, -1.0, 1.0, 1.0]) @ img.affine
    ours = np.array(geo["affine_lps"])
    ijk = np.mgrid[0:data.shape[0], 0:data.shape[1], 0:data.shape[2]].reshape(3, -1)
    world = lps_from_nii @ np.vstack([ijk, np.ones(ijk.shape[1])])
    idx = np.linalg.solve(ours, world)[:3]
    rounded = np.rint(idx)
    err_vox = float(np.abs(idx - rounded).max())
    err_mm = float(np.abs(ours[:3, :3] @ (idx - rounded)).max())
    c, z, y, x = phys.shape
    ri = rounded.astype(int)
    inside = (ri[0] >= 0) & (ri[0] < x) & (ri[1] >= 0) & (ri[1] < y) & (ri[2] >= 0) & (ri[2] < z)
    result = {"file": os.path.basename(nii_path), "shape": list(img.shape), "max_position_error_mm": round(err_mm, 6),
              "voxels_inside": int(inside.sum()), "voxels": int(inside.size)}
    if inside.all() and inside.size == x * y * z:
        ours_vals = phys[:, ri[2], ri[1], ri[0]].T  # (voxels, channels)
        theirs = data.reshape(-1, data.shape[-1], order="F") if data.shape[-1] == c else None
        if theirs is None:
            theirs = data.reshape(-1, order="F")[:, None]
        result["max_value_difference"] = num(np.abs(theirs - ours_vals).max()) if theirs.shape == ours_vals.shape else None
    result["agrees"] = bool(err_mm < 1e-3 and inside.all() and result.get("max_value_difference") == 0)
    return result


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
    messages = [l.strip() for l in log.splitlines() if re.search(r"warning|error|tilt|scal|float|unsupported|not", l, re.I)
                and not l.startswith("Chris Rorden") and "Convert " not in l and "Conversion required" not in l]
    return written, messages


def dciodvfy(paths):
    errors, warnings_ = 0, 0
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
    return {"transfer_syntax": str(ds.file_meta.TransferSyntaxUID), "basic_offset_table": bool(has_bot),
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
    geo["origin_lps"] = [float(v) for v in np.array(ds_str(origin), float)]

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
        info["made_by"] = " ".join(command)
        record(name, hu[None], geo, frame_order="descending along the slice normal (frame 1 = last slice)",
               rescale={"slope": 1, "intercept": -1024, "type": "HU"}, encapsulation=info)
    return hu, geo


if __name__ == "__main__":
    TMP = tempfile.mkdtemp()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(NII_OUT)
    enhanced_ct()
    enhanced_ct_compressed()
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk not in ("values", "values_runs", "affine_lps")} for k, v in GOLDEN.items()}, indent=1))
