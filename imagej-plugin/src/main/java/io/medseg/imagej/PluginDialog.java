package io.medseg.imagej;

import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link GenericDialog} that also works in a headless ImageJ 1, where GenericDialog cannot be
 * built (docs/imagej.md): there the values come from the macro options under the keys GenericDialog
 * records (the label's first word, lower-cased), so the same macro runs with and without a display.
 * Fields are read back in the order they were added, as with GenericDialog.
 */
final class PluginDialog {
    private enum Kind { STRING, NUMBER, CHOICE, CHECKBOX, IMAGE }

    private record Field(Kind kind, String label, String defaultValue, String[] items) {}

    private final String title;
    private final GenericDialog dialog;
    private final List<Field> fields = new ArrayList<>();
    private String options;
    private int next;

    /**
     * @param legacy keys older versions recorded for fields that have been renamed: a recorded macro
     *     using them runs as it did (translated before GenericDialog reads the options)
     */
    PluginDialog(String title, MacroOptions.LegacyKey... legacy) {
        this.title = title;
        String given = Macro.getOptions();
        if (given != null && legacy.length > 0) {
            // GenericDialog takes the thread's options when it is made: translate before that
            String translated = MacroOptions.translate(given, List.of(legacy));
            if (!translated.equals(given.trim())) {
                Macro.setOptions(translated);
            }
        }
        this.dialog = GraphicsEnvironment.isHeadless() ? null : new GenericDialog(title);
    }

    void addString(String label, String defaultValue) {
        add(new Field(Kind.STRING, label, defaultValue, null));
        if (dialog != null) {
            dialog.addStringField(label, defaultValue, 30);
        }
    }

    void addFile(String label, String defaultValue) {
        add(new Field(Kind.STRING, label, defaultValue, null));
        if (dialog != null) {
            dialog.addFileField(label, defaultValue, 30);
        }
    }

    void addDirectory(String label, String defaultValue) {
        add(new Field(Kind.STRING, label, defaultValue, null));
        if (dialog != null) {
            dialog.addDirectoryField(label, defaultValue, 30);
        }
    }

    void addNumber(String label, double defaultValue, int digits) {
        add(new Field(Kind.NUMBER, label, ij.IJ.d2s(defaultValue, digits), null));
        if (dialog != null) {
            dialog.addNumericField(label, defaultValue, digits);
        }
    }

    void addChoice(String label, String[] items, String defaultItem) {
        add(new Field(Kind.CHOICE, label, defaultItem, items));
        if (dialog != null) {
            dialog.addChoice(label, items, defaultItem);
        }
    }

    void addCheckbox(String label, boolean defaultValue) {
        add(new Field(Kind.CHECKBOX, label, Boolean.toString(defaultValue), null));
        if (dialog != null) {
            dialog.addCheckbox(label, defaultValue);
        }
    }

    /** A choice of the open images; {@code extra} items (e.g. "None") come first. */
    void addImage(String label, ImagePlus defaultImage, String... extra) {
        List<String> titles = new ArrayList<>(Arrays.asList(extra));
        int[] ids = WindowManager.getIDList();
        if (ids != null) {
            for (int id : ids) {
                ImagePlus imp = WindowManager.getImage(id);
                if (imp != null) {
                    titles.add(imp.getTitle());
                }
            }
        }
        if (titles.isEmpty()) {
            throw new PluginException(title + " needs an open image; none is open");
        }
        String chosen = defaultImage != null && titles.contains(defaultImage.getTitle()) ? defaultImage.getTitle()
                : titles.get(0);
        add(new Field(Kind.IMAGE, label, chosen, titles.toArray(String[]::new)));
        if (dialog != null) {
            dialog.addChoice(label, titles.toArray(String[]::new), chosen);
        }
    }

    /** Shows the dialog (or reads the macro options headless); false when the user cancelled. */
    boolean show() {
        if (dialog != null) {
            dialog.showDialog();
            return !dialog.wasCanceled();
        }
        options = Macro.getOptions();
        if (options == null) {
            throw new PluginException(title + " runs headless only from a macro with its options, e.g. run(\"" + title
                    + "\", \"" + example() + "\")");
        }
        return true;
    }

    String nextString() {
        Field f = take(Kind.STRING);
        return dialog != null ? dialog.getNextString() : Macro.getValue(options, key(f), f.defaultValue());
    }

    double nextNumber() {
        Field f = take(Kind.NUMBER);
        if (dialog != null) {
            double v = dialog.getNextNumber();
            if (dialog.invalidNumber()) {
                throw new PluginException(title + ": \"" + f.label() + "\" is not a number");
            }
            return v;
        }
        String text = Macro.getValue(options, key(f), f.defaultValue());
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new PluginException(title + ": " + key(f) + "=" + text + " is not a number");
        }
    }

    String nextChoice() {
        Field f = take(Kind.CHOICE);
        return dialog != null ? dialog.getNextChoice() : headlessChoice(f);
    }

    boolean nextBoolean() {
        Field f = take(Kind.CHECKBOX);
        if (dialog != null) {
            return dialog.getNextBoolean();
        }
        // GenericDialog records a ticked box as its bare key
        return (" " + options + " ").contains(" " + key(f) + " ");
    }

    /** The chosen image, or null for one of the {@code extra} items. */
    ImagePlus nextImage() {
        Field f = take(Kind.IMAGE);
        String chosen = dialog != null ? dialog.getNextChoice() : headlessChoice(f);
        return WindowManager.getImage(chosen);
    }

    private String headlessChoice(Field f) {
        String value = Macro.getValue(options, key(f), f.defaultValue());
        if (!Arrays.asList(f.items()).contains(value)) {
            throw new PluginException(title + ": " + key(f) + "=" + value + " is not one of " + Arrays.toString(f.items()));
        }
        return value;
    }

    private void add(Field f) {
        fields.add(f);
    }

    private Field take(Kind kind) {
        Field f = fields.get(next++);
        if (f.kind() != kind) {
            throw new IllegalStateException("field " + f.label() + " is a " + f.kind() + ", read as " + kind);
        }
        return f;
    }

    private static String key(Field f) {
        return Macro.trimKey(f.label());
    }

    private String example() {
        StringBuilder b = new StringBuilder();
        for (Field f : fields) {
            if (f.kind() == Kind.CHECKBOX) {
                continue;
            }
            b.append(b.length() == 0 ? "" : " ").append(key(f)).append("=")
                    .append(f.defaultValue().contains(" ") ? "[" + f.defaultValue() + "]" : f.defaultValue());
        }
        return b.toString();
    }
}
