/**
 * Segmentation metrics as specified in docs/metrics.md: one confusion matrix per case, from
 * which every per-label count and overlap metric is derived. Depends only on the image model.
 */
package io.medseg.evaluation;
