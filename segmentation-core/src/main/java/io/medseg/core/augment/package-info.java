/**
 * On-the-fly augmentation of training patches: one N-dimensional spatial transform (flip, rotation,
 * scale, shift, elastic deformation) applied to image and labels alike (n-linear for the image,
 * nearest for the labels), then intensity changes (brightness, contrast, gamma, noise) on the
 * image only.
 */
package io.medseg.core.augment;
