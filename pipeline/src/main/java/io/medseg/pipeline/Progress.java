package io.medseg.pipeline;

/**
 * Progress of long work and the user's wish to stop it, implemented by each front end: a bar with
 * ETA on a terminal, plain lines in a log file, ImageJ's progress bar and status line.
 */
public interface Progress {

    /** A task begins: {@code total} units (tiles, cases, steps), a first estimate that may grow. */
    void start(String task, long total, String unit);

    /** {@code done} of {@code total} units are done; {@code detail} says what is being worked on. */
    void update(long done, long total, String detail);

    /** A line for the user: a finished case, a skipped file, an epoch's result. */
    void message(String line);

    /** The task ended, whether finished, failed or stopped. */
    void finish();

    /** Whether the user asked to stop; work checks it between units and stops cleanly. */
    default boolean stopRequested() {
        return false;
    }

    /** Ignores everything (tests, library use). */
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total, String unit) {}

        @Override
        public void update(long done, long total, String detail) {}

        @Override
        public void message(String line) {}

        @Override
        public void finish() {}
    };
}
