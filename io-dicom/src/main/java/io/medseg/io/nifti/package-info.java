/**
 * NIfTI-1 and NIfTI-2 ({@code .nii}, {@code .nii.gz}, {@code .hdr}/{@code .img}) reading and
 * writing with exact geometry. NIfTI stores RAS+ world coordinates; {@link io.medseg.image.Geometry}
 * is LPS, so x and y flip sign at this boundary and nowhere else.
 */
package io.medseg.io.nifti;
