/**
 * Organ statistics from a scan and its mask without segmenting again: per label its size, volume,
 * intensities, place in the patient, connected components and whether the scan cuts it off
 * (docs/statistics.md); tables over a batch of cases.
 */
package io.medseg.evaluation.stats;
