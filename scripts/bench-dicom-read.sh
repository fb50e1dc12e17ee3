#!/usr/bin/env bash
# Times reading a 512x512x300 CT series (uncompressed and RLE) with medseg against dcm2niix
# converting the same series, in one run. Generates the series (pydicom, dcmtk's dcmcrle) under
# ${BENCH_DIR:-/tmp/medseg-dicom-bench} on first use; installs the Debian tools it needs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${BENCH_DIR:-/tmp/medseg-dicom-bench}"
need=()
command -v dcm2niix >/dev/null || need+=(dcm2niix)
command -v dcmcrle >/dev/null || need+=(dcmtk)
/usr/bin/python3 -c "import pydicom, numpy" 2>/dev/null || need+=(python3-pydicom python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && apt-get install -y -q "${need[@]}"
fi
if [ ! -d "$dir/raw" ]; then
  mkdir -p "$dir/raw"
  /usr/bin/python3 - "$dir/raw" <<'PY'
import sys, numpy as np, pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
out = sys.argv[1]
rng = np.random.default_rng(1)
series = generate_uid(entropy_srcs=["bench"])
yy, xx = np.mgrid[0:512, 0:512]
body = ((xx - 256) ** 2 / 200 ** 2 + (yy - 256) ** 2 / 150 ** 2) < 1
for k in range(300):
    hu = np.where(body, 40 + 30 * np.sin(xx / 17 + k / 9), -1000) + rng.normal(0, 12, (512, 512))
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=["bench", str(k)])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientName, ds.PatientID = "CT", "Bench^CT", "BENCH"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(entropy_srcs=["study"]), series
    ds.InstanceNumber = k + 1
    ds.ImagePositionPatient = ["-250", "-250", format(-300 + 1.25 * k, ".2f")]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.PixelSpacing = ["0.9765625", "0.9765625"]
    ds.Rows = ds.Columns = 512
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.RescaleIntercept, ds.RescaleSlope = "-1024", "1"
    ds.PixelData = np.clip(hu + 1024, 0, 4095).astype("<u2").tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as("%s/CT%04d.dcm" % (out, k), write_like_original=False)
PY
fi
if [ ! -d "$dir/rle" ]; then
  mkdir -p "$dir/rle"
  for f in "$dir"/raw/*.dcm; do dcmcrle "$f" "$dir/rle/$(basename "$f")"; done
fi
"$root/medseg" bench-read "$dir/raw" "$dir/rle"
