/**
 * Surface distances between two binary masks (docs/metrics.md §1 "Surface" and §5): surface
 * extraction by erosion, an exact anisotropic Euclidean distance transform, and the distance
 * metrics (HD, HD95, ASSD, MASD, directed ASDs, NSD) computed from two transforms per mask pair.
 */
package io.medseg.evaluation.surface;
