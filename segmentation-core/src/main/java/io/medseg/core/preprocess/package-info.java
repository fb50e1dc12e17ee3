/**
 * Pre-processing as nnU-Net does it: resampling to a target spacing (separable, per-axis
 * interpolation, so an anisotropic slice axis can be treated on its own) with the exact geometry of
 * the new grid, CT intensity statistics of the training set, and the data fingerprint → plan step
 * that derives spacing, patch size and network stages from the data.
 */
package io.medseg.core.preprocess;
