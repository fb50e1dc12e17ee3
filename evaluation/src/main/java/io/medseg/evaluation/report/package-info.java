/**
 * Reports people read: plots (XChart), per-case error overlays and one HTML page, written
 * together with the CSV and JSON tables into one folder by {@link io.medseg.evaluation.report.ReportFolder}.
 */
package io.medseg.evaluation.report;
