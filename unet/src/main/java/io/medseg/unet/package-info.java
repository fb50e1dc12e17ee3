/** The U-Net of Ronneberger, Fischer and Brox (MICCAI 2015) as a recipe over segmentation-core's blocks. */
package io.medseg.unet;
