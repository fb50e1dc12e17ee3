/**
 * N-dimensional network blocks (2D and 3D from the same code): convolution blocks, pooling with an
 * explicit stride, an exact transposed convolution for the PyTorch engine, instance normalisation
 * and skip connections. Networks such as the U-Net and V-Net are recipes over these blocks.
 */
package io.medseg.core.nn;
