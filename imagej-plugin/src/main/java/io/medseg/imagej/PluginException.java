package io.medseg.imagej;

/** Bad input to a menu command: shown as one ImageJ error (a log line when headless). */
public final class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }
}
