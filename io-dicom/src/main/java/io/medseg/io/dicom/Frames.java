package io.medseg.io.dicom;

/**
 * Decoded pixels of one DICOM instance: stored values (before rescale) laid out sample-major,
 * then frame, row, column (column fastest) — the layout of a volume (x, y, z, channel).
 */
public record Frames(int rows, int columns, int frames, int samples, float[] values) {}
