/**
 * A focused DICOM Part 10 reader (dcm4che is not reachable from this build): data sets in every
 * uncompressed transfer syntax and deflate, sequences of defined and undefined length,
 * encapsulated pixel data; pixel decoding for native, RLE, JPEG (via ImageIO) and JPEG 2000
 * (via jai-imageio); and series assembly into volumes with LPS geometry.
 */
package io.medseg.io.dicom;
