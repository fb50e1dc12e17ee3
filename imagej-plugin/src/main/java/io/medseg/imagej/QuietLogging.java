package io.medseg.imagej;

/**
 * ImageJ without Fiji has no SLF4J provider: the first DJL log call then makes slf4j 2 print three
 * "No SLF4J providers were found" lines on the console at the first command. Those lines say
 * nothing the user can act on (DJL's messages go nowhere either way), so SLF4J's own reports are
 * limited to errors unless the user set {@code slf4j.internal.verbosity}. Fiji ships slf4j 1.7 with
 * logback, which ignores the property and logs as Fiji is configured. Every plugin calls
 * {@link #apply()} before it touches DJL.
 */
final class QuietLogging {
    static final String VERBOSITY = "slf4j.internal.verbosity";

    private QuietLogging() {}

    static void apply() {
        if (System.getProperty(VERBOSITY) == null) {
            System.setProperty(VERBOSITY, "ERROR");
        }
    }
}
