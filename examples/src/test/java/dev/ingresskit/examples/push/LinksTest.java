package dev.ingresskit.examples.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.examples.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinksTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("links"));
        all.addAll(List.of(args));
        int code = MainAccess.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path page() throws Exception {
        return Files.writeString(dir.resolve("page.html"), """
                <!doctype html><link rel=stylesheet href=css/site.css><script src="/js/app.js"></script>
                <img src="img/a b.png"><img src=https://cdn.example/x.png>""");
    }

    @Test
    void printsTheHeaderValue() throws Exception {
        Result r = run(page().toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("<css/site.css>; rel=preload; as=style, </js/app.js>; rel=preload; as=script, <img/a%20b.png>; rel=preload; as=image\n", r.out());
    }

    @Test
    void optionsShapeTheOutput() throws Exception {
        Result r = run("--base", "https://example.com/blog/post.html", "--no-scripts", "--attr", "nopush",
                "--allow-origin", "https://cdn.example", "--lines", page().toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                </blog/css/site.css>; rel=preload; as=style; nopush
                </blog/img/a%20b.png>; rel=preload; as=image; nopush
                <https://cdn.example/x.png>; rel=preload; as=image; nopush
                """, r.out());
        Result small = run("--max-bytes", "80", "--no-images", "--no-styles", page().toString());
        assertEquals("</js/app.js>; rel=preload; as=script\n", small.out());
        Result capped = run("--max-links", "1", page().toString());
        assertTrue(capped.err().contains("3 more candidate link(s) left out"), capped.err()); // not resolved once the cap is reached
    }

    @Test
    void badUsageIsReported() throws Exception {
        assertEquals(2, run().code());
        assertEquals(2, run("--base", "not a url", page().toString()).code());
        assertEquals(2, run("--max-bytes", "10", page().toString()).code());
        assertEquals(2, run("--attr", "bad name", page().toString()).code());
        Result missing = run(dir.resolve("missing.html").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}
