package io.medseg.imagej;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs menu commands as a headless macro does: batch mode on, the options attached to a thread
 * named "Run$_..." (ImageJ 1 reads macro options only there, docs/imagej.md). Used by the tests, and as a
 * main class to check an installation without a display:
 * {@code java -cp "Fiji.app/jars/*:Fiji.app/plugins/*" io.medseg.imagej.HeadlessCommands OpenScanPlugin "scan=..." ...}
 */
public final class HeadlessCommands {
    private HeadlessCommands() {}

    /** Runs the plugin class with the macro options (null: none); returns what it logged. */
    public static String run(Class<?> plugin, String options) {
        Interpreter.batchMode = true;
        Thread t = Thread.currentThread();
        String name = t.getName();
        PrintStream out = System.out;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        t.setName("Run$_" + plugin.getSimpleName());
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

    /** Pairs of plugin class (simple name in this package) and options; exit 1 when a command logged an error. */
    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length % 2 != 0) {
            System.err.println("usage: HeadlessCommands PLUGIN_CLASS OPTIONS [PLUGIN_CLASS OPTIONS ...]");
            System.exit(2);
        }
        boolean failed = false;
        for (int i = 0; i < args.length; i += 2) {
            Class<?> plugin = Class.forName(HeadlessCommands.class.getPackageName() + "." + args[i]);
            failed |= run(plugin, args[i + 1]).contains(": error: ");
        }
        System.exit(failed ? 1 : 0);
    }
}
