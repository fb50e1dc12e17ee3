/**
 * Files to {@link io.medseg.image.Volume}s and {@link io.medseg.image.LabelMap}s and back,
 * geometry included: PNG/TIFF here, NIfTI and DICOM in their packages, and {@link io.medseg.io.ImageFiles}
 * choosing among them for a file of any of these formats.
 */
package io.medseg.io;
