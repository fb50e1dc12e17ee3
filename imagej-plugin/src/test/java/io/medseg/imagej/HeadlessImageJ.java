package io.medseg.imagej;

import ij.ImagePlus;
import ij.WindowManager;

/** The headless tests' ImageJ: commands run as a macro runs them ({@link HeadlessCommands}), images found by title. */
final class HeadlessImageJ {
    private HeadlessImageJ() {}

    /** Runs the plugin class with the macro options; returns what it logged. */
    static String run(Class<?> plugin, String options) {
        return HeadlessCommands.run(plugin, options);
    }

    /** Closes every image the test opened. */
    static void closeAll() {
        int[] ids = WindowManager.getIDList();
        if (ids != null) {
            for (int id : ids) {
                ImagePlus imp = WindowManager.getImage(id);
                if (imp != null) {
                    imp.changes = false;
                    imp.close();
                }
            }
        }
    }

    static ImagePlus image(String title) {
        ImagePlus imp = WindowManager.getImage(title);
        if (imp == null) {
            throw new AssertionError("no image titled \"" + title + "\"; open: " + String.join(", ",
                    WindowManager.getImageTitles()));
        }
        return imp;
    }
}
