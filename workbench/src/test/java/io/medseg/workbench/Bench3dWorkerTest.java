package io.medseg.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code medseg bench-3d --part worker}: the protocol scripts/bench_paired.py drives, on real (small) steps. */
class Bench3dWorkerTest {

    private static CommandLineTest.Run worker(String input) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return CommandLineTest.medseg("bench-3d", "--part", "worker");
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void answersEveryStepWithItsTimeBetweenReadyAndClosed() {
        CommandLineTest.Run run = worker("train unet3d 32\nstep\nclose\ninfer vnet 16\nstep\nstep\nclose\n");
        assertEquals(0, run.code(), run.err());
        List<String> answers = run.out().lines().filter(l -> l.startsWith("@@ ")).toList();
        assertEquals(List.of("ready", "ms", "closed", "ready", "ms", "ms", "closed"),
                answers.stream().map(a -> a.substring(3).split(" ")[0]).toList(), run.out());
        for (String a : answers) {
            if (a.startsWith("@@ ms ")) {
                assertTrue(Double.parseDouble(a.substring(6)) > 0, a);
            }
        }
    }

    @Test
    void refusesAnUnknownRequestNamingIt() {
        CommandLineTest.Run run = worker("train resnet 16\n");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("worker: expected 'train|infer NET EDGE' with NET one of [vnet, unet3d], got "
                + "'train resnet 16'"), run.err());
    }
}
