/**
 * Files to {@link io.medseg.image.Volume}s and {@link io.medseg.image.LabelMap}s and back,
 * geometry included. Plain 2D images (PNG, TIFF) now; DICOM series and NIfTI arrive with their issue.
 */
package io.medseg.io;
