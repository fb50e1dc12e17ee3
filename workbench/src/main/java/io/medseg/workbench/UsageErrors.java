package io.medseg.workbench;

import io.medseg.pipeline.Spelling;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A command line that does not parse: one line naming what is wrong, a suggestion for a misspelt
 * option (also when picocli would first complain about the required option it hides), a pointer to
 * the help, and exit code {@value #EXIT_CODE}; not the whole help text.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    /** Picocli's and the shell's convention for a wrong command line; the README lists it. */
    static final int EXIT_CODE = 2;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        boolean top = cmd.getParent() == null;
        String prefix = top ? "medseg: error: " : "medseg " + cmd.getCommandName() + ": error: ";
        List<String> unknown = top ? List.of() : unknownOptions(cmd, args);
        if (top && args.length > 0 && !args[0].startsWith("-") && !cmd.getSubcommands().containsKey(args[0])) {
            String closest = Spelling.closest(args[0], new ArrayList<>(cmd.getSubcommands().keySet()));
            err.println(prefix + "unknown command " + args[0] + (closest != null ? "; did you mean " + closest + "?" : ""));
        } else if (unknown.isEmpty()) {
            err.println(prefix + ex.getMessage());
        }
        List<String> known = new ArrayList<>(cmd.getCommandSpec().optionsMap().keySet());
        for (String u : unknown) {
            String closest = Spelling.closest(u, known);
            err.println(prefix + "unknown option " + u + (closest != null ? "; did you mean " + closest + "?" : ""));
        }
        err.println("(medseg help" + (top ? "" : " " + cmd.getCommandName()) + " lists every option)");
        return EXIT_CODE;
    }

    /** The options after the command's name that it does not have (values that look like numbers are values). */
    private static List<String> unknownOptions(CommandLine cmd, String[] args) {
        List<String> unknown = new ArrayList<>();
        boolean after = false;
        for (String a : args) {
            if (!after) {
                after = a.equals(cmd.getCommandName());
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (name.startsWith("-") && name.length() > 1 && !Character.isDigit(name.charAt(1)) && !name.equals("--")
                    && !cmd.getCommandSpec().optionsMap().containsKey(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }
}
