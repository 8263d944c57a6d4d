package org.iclsam.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find {@code shared/data}: {@code -Diclsam.data}, else {@code ../shared/data} beside the repository. */
final class SharedData {
    /** The data directory (tests run in the module directory, one level below the repository). */
    static final Path DIR = Path.of(System.getProperty("iclsam.data",
            Files.isDirectory(Path.of("../../shared/data")) ? "../../shared/data" : "../shared/data"));

    private SharedData() {
    }
}
