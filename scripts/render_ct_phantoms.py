#!/usr/bin/env python3
"""Renders slices of generated CT phantoms for docs/sample-data.md: for each case an axial slice through the
kidneys, one through the liver and a coronal slice, window -160..240 HU, liver (red) and kidney
(cyan) outlines, in radiological orientation (patient's right on the left, superior up) whatever
voxel order the NIfTI was stored in.

With --chest (phantoms of `medseg generate-ct` with the lower chest, its default): an axial slice 15 mm above the liver's
top (lung bases, heart), one 10 mm below it, a coronal slice through the liver and a sagittal one
20 mm left of the midline (the heart on the diaphragm over the liver's left lobe).

Usage: render_ct_phantoms.py [--chest] DATASET_DIR OUT.png [CASE ...]   (cases from imagesTr/imagesTs)
Needs: python3-numpy python3-pil
"""
import gzip
import os
import struct
import sys

import numpy as np
from PIL import Image, ImageDraw


def read(path):
    raw = gzip.open(path).read()
    dim = struct.unpack("<8h", raw[40:56])
    dtype = {2: np.uint8, 4: np.int16, 16: np.float32}[struct.unpack("<h", raw[70:72])[0]]
    offset = int(struct.unpack("<f", raw[108:112])[0])
    n = dim[1:4]
    data = np.frombuffer(raw[offset:offset + np.dtype(dtype).itemsize * int(np.prod(n))], dtype=dtype).reshape(n[::-1])
    srow = np.array([struct.unpack("<4f", raw[280 + 16 * i:296 + 16 * i]) for i in range(3)])
    lps = srow[:, :3] * np.array([[-1], [-1], [1]])
    spacing = np.linalg.norm(lps, axis=0)
    return data.transpose(2, 1, 0), lps / spacing, spacing  # x, y, z array order


def canonical(data, direction, spacing):
    """Axes permuted and flipped so array axis k runs along +LPS axis k (as medseg's Reorientation)."""
    order, flips = [0, 0, 0], [False] * 3
    d = np.abs(direction).copy()
    for _ in range(3):
        r, c = np.unravel_index(np.argmax(d), d.shape)
        order[r], flips[r] = c, direction[r, c] < 0
        d[r, :], d[:, c] = -1, -1
    out = data.transpose(order)
    for k in range(3):
        if flips[k]:
            out = np.flip(out, k)
    return out, spacing[order]


def window(a):
    return (np.clip((a.astype(float) + 160) / 400, 0, 1) * 255).astype(np.uint8)


def outline(rgb, mask, colour):
    edge = mask & ~(np.roll(mask, 1, 0) & np.roll(mask, -1, 0) & np.roll(mask, 1, 1) & np.roll(mask, -1, 1))
    rgb[edge] = colour


def panel(img, lab, spacing_rc, height=260):
    body = np.argwhere(img > -500)  # crop the air around the body (and the table below it)
    if len(body):
        (r0, c0), (r1, c1) = body.min(0), body.max(0)
        img, lab = img[max(0, r0 - 4):r1 + 5, max(0, c0 - 4):c1 + 5], lab[max(0, r0 - 4):r1 + 5, max(0, c0 - 4):c1 + 5]
    rgb = np.stack([window(img)] * 3, -1)
    outline(rgb, lab == 1, (255, 70, 70))
    outline(rgb, lab == 2, (60, 220, 255))
    rows, cols = img.shape
    scale = height / (rows * spacing_rc[0])
    size = (max(1, int(round(cols * spacing_rc[1] * scale))), height)
    return Image.fromarray(rgb).resize(size, Image.NEAREST)


def main():
    args = sys.argv[1:]
    chest = args[:1] == ["--chest"]
    if chest:
        args = args[1:]
    root, out, cases = args[0], args[1], args[2:]
    tiles = []
    for case in cases:
        split = "Tr" if os.path.exists(os.path.join(root, "imagesTr", case + "_0000.nii.gz")) else "Ts"
        img, d, sp = read(os.path.join(root, "images" + split, case + "_0000.nii.gz"))
        lab, _, _ = read(os.path.join(root, "labels" + split, case + ".nii.gz"))
        img, sp = canonical(img, d, sp)
        lab, _ = canonical(lab, d, sp)
        kz = int(np.argmax((lab == 2).sum((0, 1))))
        lz = int(np.argmax((lab == 1).sum((0, 1))))
        cy = int(np.argmax(((lab == 1) | (lab == 2)).sum((0, 2))))
        if chest:
            top = int(np.nonzero((lab == 1).sum((0, 1)))[0].max())
            above = min(img.shape[2] - 1, top + int(round(15 / sp[2])))
            below = max(0, top - int(round(10 / sp[2])))
            sx = img.shape[0] // 2 + int(round(20 / sp[0]))
            ly = int(np.argmax((lab == 1).sum((0, 2))))
            tiles.append([panel(img[:, :, z].T, lab[:, :, z].T, (sp[1], sp[0])) for z in (above, below)]
                         + [panel(img[:, ly, ::-1].T, lab[:, ly, ::-1].T, (sp[2], sp[0])),
                            panel(img[sx, :, ::-1].T, lab[sx, :, ::-1].T, (sp[2], sp[1]))])
            continue
        # axial: rows = y (anterior up), columns = x (patient's right on the left); coronal: rows = z, superior up
        tiles.append([panel(img[:, :, kz].T, lab[:, :, kz].T, (sp[1], sp[0])),
                      panel(img[:, :, lz].T, lab[:, :, lz].T, (sp[1], sp[0])),
                      panel(img[:, cy, ::-1].T, lab[:, cy, ::-1].T, (sp[2], sp[0]))])
    width = max(sum(t.width for t in row) + 4 * len(row) for row in tiles)
    sheet = Image.new("RGB", (width, sum(row[0].height + 22 for row in tiles)), (0, 0, 0))
    draw = ImageDraw.Draw(sheet)
    y = 0
    for case, row in zip(cases, tiles):
        what = ("axial 15 mm above the liver's top, 10 mm below it, coronal, sagittal 20 mm left of the midline" if chest
                else "axial through the kidneys, through the liver, coronal")
        draw.text((4, y + 4), case + ": " + what, fill=(255, 255, 255))
        x = 0
        for t in row:
            sheet.paste(t, (x, y + 20))
            x += t.width + 4
        y += row[0].height + 22
    sheet.save(out)


if __name__ == "__main__":
    main()
