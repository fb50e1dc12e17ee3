/**
 * The image model every module shares: {@link io.medseg.image.Volume} (float voxels with geometry),
 * {@link io.medseg.image.LabelMap} (labels with names and geometry), {@link io.medseg.image.Geometry}
 * (spacing, origin and directions in DICOM LPS) and shape helpers. ImgLib2 only: readers and metrics
 * use it without the deep-learning engine on their class path.
 */
package io.medseg.image;
