package org.iclsam.onnx;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.iclsam.onnx.NpmRegistryConfig.Registry;

/**
 * Fetches a tarball without npm: one HTTP GET of {@code <registry>/<name>/-/<name>-<version>.tgz}
 * ({@link NpmSpec#tarballPath()}), the fixed place of a version's tarball in the npm registry layout, from the
 * registry {@link NpmRegistryConfig} finds. The package's metadata document is not read: the path needs no JSON
 * and the provisioner checks the tarball's SHA-1 against the pinned one whatever served it. Redirects are
 * followed (not from https to http); the JVM's proxy settings apply, npm's proxy and authentication settings do
 * not. A registry that keeps tarballs elsewhere, or needs a login, answers with an error status here: use npm
 * for it, or place the files by hand.
 *
 * <p>Streams the body to a file in the work directory (constant memory). The fetch gives up when the whole
 * download has not finished within the time limit (on Java 17 the abandoned transfer may run on in the
 * background until the server closes it; its file is deleted with the work directory).
 */
final class RegistryFetcher implements TarballFetcher {
    private static final Duration MAX_CONNECT = Duration.ofSeconds(30);
    private static final String USER_AGENT = "icl-sam-java ModelProvisioner (java.net.http)";

    private final NpmRegistryConfig config;
    private final Duration timeout;

    /**
     * @param config where the registry is configured
     * @param timeout how long the whole download may take
     */
    RegistryFetcher(NpmRegistryConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "the npm registry over HTTP";
    }

    @Override
    public Path fetch(NpmSpec spec, Path workDir) throws FetchException {
        Registry registry = config.resolve(spec, workDir);
        URI url = registry.tarball(spec);
        Path out = workDir.resolve(url.getPath().substring(url.getPath().lastIndexOf('/') + 1));
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout.compareTo(MAX_CONNECT) < 0 ? timeout : MAX_CONNECT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", USER_AGENT)
                .header("Accept", "application/octet-stream").GET().build();
        String where = url + " (registry from " + registry.source() + ")";
        CompletableFuture<HttpResponse<Path>> pending = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofFile(out));
        HttpResponse<Path> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted while downloading " + where, false, e);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new FetchException("downloading " + where + " did not finish within " + timeout, false, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new FetchException("cannot download " + where + ": " + describe(cause), false, cause);
        }
        int status = response.statusCode();
        if (status != 200) {
            String hint = status == 401 || status == 403 ? ": the registry wants a login, which only npm provides"
                    : status == 404 ? ": the registry does not have " + spec + " at that path" : "";
            throw new FetchException("GET " + where + " answered HTTP " + status + hint, false, null);
        }
        return response.body();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m)
                + (t instanceof IOException ? "" : " (unexpected)");
    }
}
