package io.medseg.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs menu commands the way a headless macro does: batch mode on, the options attached to a
 * thread named "Run$_..." (ImageJ reads macro options only there, FIJI.md), log lines captured.
 */
final class HeadlessImageJ {
    private HeadlessImageJ() {}

    /** Runs the plugin class with the macro options; returns what it logged. */
    static String run(Class<?> plugin, String options) {
        Interpreter.batchMode = true;
        Thread t = Thread.currentThread();
        String name = t.getName();
        PrintStream out = System.out;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        t.setName("Run$_test");
        Macro.setOptions(t, options);
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            IJ.runPlugIn(plugin.getName(), "");
        } finally {
            System.setOut(out);
            Macro.setOptions(t, null);
            t.setName(name);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        out.print(text);
        return text;
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
