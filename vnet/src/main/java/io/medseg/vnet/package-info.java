/** The V-Net of Milletari, Navab and Ahmadi (3DV 2016) as a recipe over segmentation-core's blocks. */
package io.medseg.vnet;
