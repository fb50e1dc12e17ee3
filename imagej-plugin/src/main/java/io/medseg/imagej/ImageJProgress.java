package io.medseg.imagej;

import ij.IJ;
import io.medseg.pipeline.Progress;

/** Long work in ImageJ: its progress bar and status line, lines in the Log window, Esc to stop. */
final class ImageJProgress implements Progress {
    private final String command;
    private String task = "";

    ImageJProgress(String command) {
        this.command = command;
    }

    @Override
    public void start(String task, long total, String unit) {
        this.task = task;
        IJ.resetEscape();
        IJ.showStatus(command + ": " + task + " " + total + " " + unit + " (Esc stops)");
    }

    @Override
    public void update(long done, long total, String detail) {
        IJ.showProgress((double) done / Math.max(1, total));
        IJ.showStatus(command + ": " + task + " " + done + "/" + total + (detail.isEmpty() ? "" : " " + detail));
    }

    @Override
    public void message(String line) {
        IJ.log(command + ": " + line);
    }

    @Override
    public void finish() {
        IJ.showProgress(1.0);
    }

    @Override
    public boolean stopRequested() {
        return IJ.escapePressed();
    }
}
