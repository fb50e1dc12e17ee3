/**
 * Synthetic scans with known ground truth, deterministic from a seed: dental radiographs with
 * tooth-root masks now (no public dataset is reachable from this build), CT phantoms later.
 */
package io.medseg.samples;
