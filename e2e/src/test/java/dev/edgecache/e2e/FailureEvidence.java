package dev.edgecache.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * When a test method fails, keeps what a person needs to see why: a screenshot of the browser
 * ({@code target/e2e-failure-<test>.png}), the page source and URL ({@code target/e2e-failure-<test>.html}), and the
 * tails of the origin and edge logs on standard error. Runs after the test method and before {@code @AfterEach}, so
 * the browser is still open. Register it with {@code @RegisterExtension} in a static field; the suppliers may
 * return null while the fixture is not started. Before the class runs, evidence left by an earlier run is deleted, so
 * every {@code e2e-failure-*} file in {@code target/} belongs to the latest run.
 */
final class FailureEvidence implements BeforeAllCallback, AfterTestExecutionCallback {
    private final Path targetDir;
    private final Supplier<Browser> browser;
    private final Supplier<EdgeAndOrigin> site;

    FailureEvidence(Path targetDir, Supplier<Browser> browser, Supplier<EdgeAndOrigin> site) {
        this.targetDir = targetDir;
        this.browser = browser;
        this.site = site;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (!Files.isDirectory(targetDir)) return;
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(targetDir, "e2e-failure-*")) {
            for (Path file : stale) Files.delete(file);
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Throwable failure = context.getExecutionException().orElse(null);
        if (failure == null) return;
        String name = context.getRequiredTestMethod().getName();
        StringBuilder report = new StringBuilder("e2e failure evidence for " + name + ":\n");
        Browser b = browser.get();
        if (b != null) {
            Path png = targetDir.resolve("e2e-failure-" + name + ".png");
            Path html = targetDir.resolve("e2e-failure-" + name + ".html");
            try {
                b.screenshot(png);
                report.append("  screenshot: ").append(png).append('\n');
            } catch (IOException | RuntimeException e) {
                report.append("  screenshot failed: ").append(e).append('\n');
                failure.addSuppressed(e);
            }
            try {
                String url = b.driver().getCurrentUrl();
                Files.writeString(html, "<!-- " + url + " -->\n" + b.driver().getPageSource(), StandardCharsets.UTF_8);
                report.append("  page source of ")
                        .append(url)
                        .append(": ")
                        .append(html)
                        .append('\n');
            } catch (IOException | RuntimeException e) {
                report.append("  page source failed: ").append(e).append('\n');
                failure.addSuppressed(e);
            }
        }
        EdgeAndOrigin s = site.get();
        if (s != null) report.append(s.logs());
        System.err.println(report);
    }
}
