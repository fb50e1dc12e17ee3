#!/usr/bin/env node
// A DICOM SEG written by another tool: dcmjs (the DICOM library OHIF uses to save segmentations,
// scripts/seg-view/package.json pins it) derives a Segmentation from the pydicom-made oblique series
// as OHIF does (Normalizer.normalizeToDataset, derivations.Segmentation, frames only where a segment
// is, bit-packed). Segment 1 "sphere" where the phantom is above 0 HU, segment 2 "shell" where it is
// in (-500, 0] HU. SegmentationReaderForeignTest reads it and applies the same rule in Java.
//
// Run from the repository root:  node io-dicom/src/test/node/make_dcmjs_seg.js
// Needs: (cd scripts/seg-view && npm ci)
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..", "..", "..", "..");
const dcmjs = require(path.join(root, "scripts", "seg-view", "node_modules", "dcmjs"));
const series = path.join(root, "io-dicom", "src", "test", "resources", "series", "oblique");
const out = path.join(root, "io-dicom", "src", "test", "resources", "foreign", "seg", "dcmjs_oblique.seg.dcm");

const datasets = fs.readdirSync(series).sort().map(name => {
  const buffer = fs.readFileSync(path.join(series, name));
  const file = dcmjs.data.DicomMessage.readFile(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length));
  const d = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict);
  d._meta = dcmjs.data.DicomMetaDictionary.namifyDataset(file.meta);
  return d;
});
const multiframe = dcmjs.normalizers.Normalizer.normalizeToDataset(datasets);
const rows = multiframe.Rows, cols = multiframe.Columns, frames = Number(multiframe.NumberOfFrames);
const slope = Number(datasets[0].RescaleSlope), intercept = Number(datasets[0].RescaleIntercept);
// the normalised frames in the multiframe's order, each from the file at its position (dcmjs 0.52's
// normaliser leaves the multiframe's pixel data zero for these files, so the files' own are used)
const list = v => Array.isArray(v) ? v : [v];
const framePixels = list(multiframe.PerFrameFunctionalGroupsSequence).map(g => {
  const ipp = list(list(g.PlanePositionSequence)[0].ImagePositionPatient).map(Number);
  const d = datasets.find(x => x.ImagePositionPatient.every((v, i) => Math.abs(Number(v) - ipp[i]) < 1e-4));
  const px = list(d.PixelData)[0];
  return new Int16Array(px);
});
const labelmaps = [];
for (let f = 0; f < frames; f++) {
  const m = new Uint8Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) {
    const hu = framePixels[f][i] * slope + intercept;
    m[i] = hu > 0 ? 1 : hu > -500 ? 2 : 0;
  }
  labelmaps.push(m);
}
// derive after reading the pixels: the derivation replaces the shared dataset's pixel data with zeros
const seg = new dcmjs.derivations.Segmentation([multiframe]);
const code = (value, meaning) => ({CodeValue: value, CodingSchemeDesignator: "SCT", CodeMeaning: meaning});
const segments = [
  {SegmentNumber: 1, SegmentLabel: "sphere", SegmentAlgorithmType: "MANUAL",
   SegmentedPropertyCategoryCodeSequence: code("85756007", "Tissue"), SegmentedPropertyTypeCodeSequence: code("85756007", "Tissue")},
  {SegmentNumber: 2, SegmentLabel: "shell", SegmentAlgorithmType: "MANUAL",
   SegmentedPropertyCategoryCodeSequence: code("85756007", "Tissue"), SegmentedPropertyTypeCodeSequence: code("85756007", "Tissue")},
];
const framesOf = segments.map(s => labelmaps.map((m, f) => m.includes(s.SegmentNumber) ? f + 1 : 0).filter(f => f > 0));
seg.setNumberOfFrames(framesOf.reduce((n, f) => n + f.length, 0));
segments.forEach((s, k) => seg.addSegmentFromLabelmap(s, framesOf[k].map(f => labelmaps[f - 1]), s.SegmentNumber, framesOf[k]));
seg.bitPackPixelData();
fs.writeFileSync(out, dcmjs.data.datasetToBuffer(seg.dataset));
console.log("dcmjs", require(path.join(root, "scripts", "seg-view", "node_modules", "dcmjs", "package.json")).version,
  "wrote", out, framesOf.map(f => f.length).join(" + "), "frames");
