package org.iclsam.onnx;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An npm registry on the loopback interface for tests: serves the bytes put at a path, 404 elsewhere, and records
 * every request path. Serves from a single thread; close it after the test.
 */
final class LocalRegistry implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    LocalRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(path);
            byte[] body = files.get(path);
            int status = statuses.getOrDefault(path, body != null ? 200 : 404);
            byte[] out = status == 200 && body != null ? body : ("no " + path).getBytes();
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    /** @return the registry's base URL, {@code http://127.0.0.1:<port>} plus {@code path} */
    URI url(String path) {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + path);
    }

    /** Serves {@code body} at the raw path {@code path} (for example {@code /fake/-/fake-1.0.0.tgz}). */
    void put(String path, byte[] body) {
        files.put(path, body);
    }

    /** Answers {@code status} with an empty body at {@code path}. */
    void fail(String path, int status) {
        statuses.put(path, status);
    }

    /** @return the paths requested so far, in order */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
