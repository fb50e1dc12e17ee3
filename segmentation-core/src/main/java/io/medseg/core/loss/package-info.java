/**
 * Per-pixel segmentation losses over logits (N, K, [D,] H, W) and integer labels (N, [D,] H, W):
 * softmax cross-entropy, soft Dice and their sum. Every loss checks the label shape first, because
 * DJL's own losses broadcast a wrong shape silently.
 */
package io.medseg.core.loss;
