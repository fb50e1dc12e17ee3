/**
 * Inference on images of any size: a grid of overlapping tiles, predicted in batches, blended
 * with Gaussian importance weights (nnU-Net), then turned into labels by argmax. Memory is
 * bounded by the tile batch plus one probability map of the whole image.
 */
package io.medseg.core.infer;
