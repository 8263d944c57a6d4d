package org.iclsam.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java programs compile as they are, against icl-sam-onnx, icl-sam-io and their dependencies only: the
 * test's class path without this module, the metrics, the command-line libraries (picocli, slf4j-simple) and the
 * test libraries, which is what a new Maven project depending on those two modules gets.
 */
class IoReadmeSnippetTest {
    private static final Path README = Path.of("../README.md");
    private static final List<String> NOT_A_LIBRARY_DEPENDENCY = List.of("icl-sam-examples", "icl-sam-metrics",
            "picocli", "slf4j-simple", "test-classes", "-tests.jar", "junit", "jqwik", "opentest4j", "apiguardian",
            "surefire");

    @Test
    void everyJavaProgramInTheReadmeCompilesAgainstTheLibraryModules(@TempDir Path dir) throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<Path> sources = new ArrayList<>();
        Pattern className = Pattern.compile("public class (\\w+)");
        while (m.find()) {
            Matcher c = className.matcher(m.group(1));
            if (c.find()) {
                Path src = dir.resolve(c.group(1) + ".java");
                Files.writeString(src, m.group(1), StandardCharsets.UTF_8);
                sources.add(src);
            }
        }
        assertTrue(sources.size() >= 2, "the README's quick start should hold complete programs, found "
                + sources.size());
        List<String> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> NOT_A_LIBRARY_DEPENDENCY.stream().noneMatch(x -> e.toLowerCase(Locale.ROOT).contains(x)))
                .toList();
        assertTrue(classPath.stream().anyMatch(e -> e.contains("icl-sam-io")), "icl-sam-io on " + classPath);
        assertTrue(classPath.stream().anyMatch(e -> e.contains("icl-sam-onnx")), "icl-sam-onnx on " + classPath);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-d", dir.resolve("classes").toString(), "-classpath",
                String.join(File.pathSeparator, classPath), "-Xlint:all", "-Werror", "-proc:none"));
        args.addAll(sources.stream().map(Path::toString).collect(Collectors.toList()));
        int rc = javac.run(null, out, out, args.toArray(new String[0]));
        assertEquals(0, rc, "the README's programs do not compile against icl-sam-onnx + icl-sam-io:\n"
                + out.toString(StandardCharsets.UTF_8));
    }
}
