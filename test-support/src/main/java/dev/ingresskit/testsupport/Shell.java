package dev.ingresskit.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the guest's command-line tools (ip, ipvsadm, tcpdump, ethtool) for the kernel tests; fails loudly
 * with their output.
 */
public final class Shell {
    private Shell() {
    }

    /** Runs one shell command line and returns its output; a non-zero exit fails the test. */
    public static String run(String commandLine) {
        try {
            Process process = new ProcessBuilder(List.of("/bin/sh", "-c", commandLine))
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + commandLine);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("`" + commandLine + "` exited " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("could not run `" + commandLine + "`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + commandLine, e);
        }
    }
}
