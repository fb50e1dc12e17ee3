package io.medseg.imagej;

import ij.measure.ResultsTable;
import java.awt.GraphicsEnvironment;

/**
 * Results tables of the commands. With a display each is its own window under a predictable title;
 * headless, where ImageJ shows none, the command fills the Results table macros read
 * ({@code nResults}, {@code getResult}).
 */
final class Tables {
    private Tables() {}

    static ResultsTable create() {
        if (GraphicsEnvironment.isHeadless()) {
            ResultsTable system = ResultsTable.getResultsTable();
            system.reset();
            return system;
        }
        return new ResultsTable();
    }

    static void show(ResultsTable rt, String title) {
        if (!GraphicsEnvironment.isHeadless()) {
            rt.show(title);
        }
    }
}
