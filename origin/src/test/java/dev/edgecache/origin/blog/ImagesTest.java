package dev.edgecache.origin.blog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.testing.TestBlog;
import dev.edgecache.origin.testing.TestDatabase;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs on SQLite and on PostgreSQL (BLOB and BYTEA). */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class ImagesTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    private TestBlog blog;
    private Images images;
    private SessionUser alice;

    @BeforeEach
    void setUp() {
        blog = new TestBlog(database, dir);
        images = new Images(blog.db, blog.clock);
        alice = blog.user("alice");
    }

    @AfterEach
    void tearDown() {
        if (blog != null) blog.close();
    }

    static byte[] image(int width, int height, String format) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width / 2, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    private static void assertStatus(Runnable r, int status) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(
                        RejectedException.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    @Test
    void anUploadIsStoredOnceUnderItsHashAndServedResizedToTheKnownWidths() throws IOException {
        byte[] png = image(2000, 500, "png");
        Images.Stored stored = images.upload(alice, "image/png", png);
        assertThat(stored.hash()).matches("[0-9a-f]{32}");
        assertThat(stored.url()).isEqualTo("/images/" + stored.hash() + "-1280.png");
        assertThat(stored.width()).isEqualTo(2000);
        assertThat(images.upload(alice, "image/png", png).hash()).isEqualTo(stored.hash());

        Images.File original =
                images.find(stored.hash(), "png", Optional.empty()).orElseThrow();
        assertThat(original.contentType()).isEqualTo("image/png");
        assertThat(original.bytes()).isEqualTo(png);
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(images.find(stored.hash(), "png", Optional.of(640))
                .orElseThrow()
                .bytes()));
        assertThat(small.getWidth()).isEqualTo(640);
        assertThat(small.getHeight()).isEqualTo(160);
        assertThat(images.find(stored.hash(), "jpg", Optional.empty())).isEmpty();
        assertThat(images.find("0".repeat(32), "png", Optional.empty())).isEmpty();

        byte[] jpeg = image(300, 200, "jpg");
        Images.Stored photo = images.upload(alice, "image/jpeg", jpeg);
        assertThat(photo.url()).isEqualTo("/images/" + photo.hash() + ".jpg");
        assertThat(images.find(photo.hash(), "jpg", Optional.of(640))
                        .orElseThrow()
                        .bytes())
                .as("never enlarged")
                .isEqualTo(jpeg);
    }

    @Test
    void typeSizeAndContentAreCheckedBeforeAnythingIsStored() throws IOException {
        byte[] png = image(10, 10, "png");
        assertStatus(() -> images.upload(alice, "image/gif", png), 415);
        assertStatus(() -> images.upload(alice, "image/jpeg", png), 400);
        assertStatus(() -> images.upload(alice, "image/png", new byte[0]), 400);
        byte[] fake = java.util.Arrays.copyOf(png, 40);
        assertStatus(() -> images.upload(alice, "image/png", fake), 400);
        byte[] tooWide = image(Images.MAX_SIDE + 1, 1, "png");
        assertStatus(() -> images.upload(alice, "image/png", tooWide), 400);
        byte[] tooManyPixels = image(4001, 4001, "png");
        assertStatus(() -> images.upload(alice, "image/png", tooManyPixels), 400);
        assertStatus(() -> images.upload(alice, "image/png", new byte[Images.MAX_BYTES + 1]), 413);
    }

    @Test
    void everySizeIsAlsoServedAsWebP() throws IOException {
        assertThat(WebP.available())
                .as("libwebp loads from the webp-imageio jar here")
                .isTrue();
        byte[] png = image(2000, 500, "png");
        Images.Stored stored = images.upload(alice, "image/png", png);
        Images.File webp = images.find(stored.hash(), "webp", Optional.of(640)).orElseThrow();
        assertThat(webp.contentType()).isEqualTo("image/webp");
        assertThat(new String(webp.bytes(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("RIFF");
        assertThat(new String(webp.bytes(), 8, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("WEBP");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(webp.bytes()));
        assertThat(decoded.getWidth()).isEqualTo(640);
        assertThat(decoded.getHeight()).isEqualTo(160);
        BufferedImage full = ImageIO.read(new ByteArrayInputStream(images.find(stored.hash(), "webp", Optional.empty())
                .orElseThrow()
                .bytes()));
        assertThat(full.getWidth()).as("the original size").isEqualTo(2000);
        assertThat(webp.bytes().length)
                .as("smaller than the PNG at that width")
                .isLessThan(images.find(stored.hash(), "png", Optional.of(640))
                        .orElseThrow()
                        .bytes()
                        .length);
        assertThat(images.size(stored.hash())).hasValue(new dev.edgecache.origin.markdown.ImageSizes.Size(2000, 500));
        assertThat(images.find("0".repeat(32), "webp", Optional.empty())).isEmpty();
    }

    @Test
    void imagesGoWithTheLastPostThatShowsThemAndArePurged() throws IOException {
        Images.Stored a = images.upload(alice, "image/png", image(40, 40, "png"));
        Images.Stored b = images.upload(alice, "image/png", image(41, 40, "png"));
        Images.Stored kept = images.upload(alice, "image/png", image(42, 40, "png"));
        Post first = blog.posts.create(
                alice,
                new PostEdit(
                        "First",
                        "![a](" + a.url() + ") ![b](/images/" + b.hash() + "-320.png)",
                        null,
                        PostStatus.PUBLISHED));
        Post second =
                blog.posts.create(alice, new PostEdit("Second", "also ![b](" + b.url() + ")", null, PostStatus.DRAFT));
        Post third =
                blog.posts.create(alice, new PostEdit("Third", "![k](" + kept.url() + ")", null, PostStatus.DRAFT));
        blog.clearOutbox();

        blog.posts.delete(alice, first.id());
        assertThat(images.find(a.hash(), "png", Optional.empty()))
                .as("only the deleted post showed it")
                .isEmpty();
        assertThat(images.find(b.hash(), "png", Optional.empty()))
                .as("a draft still shows it")
                .isPresent();
        assertThat(blog.outboxPayloads())
                .singleElement()
                .satisfies(p ->
                        assertThat(p).contains("\"image:" + a.hash() + "\"").doesNotContain(b.hash()));

        blog.clearOutbox();
        blog.posts.update(alice, second.id(), new PostEdit(null, "the image is gone from here", null, null));
        assertThat(images.find(b.hash(), "png", Optional.empty()))
                .as("edited out of its last post")
                .isEmpty();
        assertThat(blog.outboxPayloads())
                .singleElement()
                .satisfies(p -> assertThat(p).contains("\"image:" + b.hash() + "\""));

        blog.clearOutbox();
        blog.posts.update(alice, third.id(), new PostEdit("Third, retitled", null, null, null));
        blog.posts.update(alice, third.id(), new PostEdit(null, "still ![k](" + kept.url() + ")", null, null));
        assertThat(images.find(kept.hash(), "png", Optional.empty()))
                .as("still shown")
                .isPresent();
        assertThat(blog.outboxPayloads()).isEmpty();
    }

    @Test
    void anotherAuthorsPostNeitherLosesNorDeletesAnImage() throws IOException {
        SessionUser bob = blog.user("bob");
        Images.Stored shared = images.upload(alice, "image/png", image(50, 40, "png"));
        assertThat(images.upload(bob, "image/png", image(50, 40, "png")).hash())
                .as("the same bytes are stored once, as alice's")
                .isEqualTo(shared.hash());
        Post alices = blog.posts.create(alice, new PostEdit("A", "![](" + shared.url() + ")", null, null));
        Post bobs = blog.posts.create(bob, new PostEdit("B", "![](" + shared.url() + ")", null, null));

        blog.posts.delete(alice, alices.id());
        assertThat(images.find(shared.hash(), "png", Optional.empty()))
                .as("bob's post still shows it")
                .isPresent();
        blog.posts.delete(bob, bobs.id());
        assertThat(images.find(shared.hash(), "png", Optional.empty()))
                .as("bob never owned it: an upload of alice's is hers to lose")
                .isPresent();
    }

    @Test
    void referencesAreFoundByHashWhateverTheSizeOrFormat() {
        String h = "0123456789abcdef0123456789abcdef";
        assertThat(Images.referencedIn("![](/images/" + h + ".png) ![](/images/" + h + "-640.webp) "
                        + "<img src=\"https://blog.example/images/" + "f".repeat(32) + "-320.jpg\"> /images/"
                        + "a".repeat(33)))
                .containsExactly(h, "f".repeat(32));
    }

    @Test
    void inADirectoryTheBytesAreFilesNamedByHashWrittenWholeAndDeletedWithTheirRow() throws IOException {
        ImageDirectory files = new ImageDirectory(dir.resolve("images"));
        Images onDisk = new Images(blog.db, blog.clock, files);
        PostService posts = new PostService(blog.db, blog.outbox, blog.clock, files);
        byte[] png = image(60, 40, "png");
        Images.Stored stored = onDisk.upload(alice, "image/png", png);
        java.nio.file.Path file =
                dir.resolve("images").resolve(stored.hash().substring(0, 2)).resolve(stored.hash());
        assertThat(file).hasBinaryContent(png);
        try (var listed = java.nio.file.Files.list(file.getParent())) {
            assertThat(listed).as("no temporary file left").containsExactly(file);
        }
        int rowBytes = blog.db.read(c -> {
            try (var s = c.createStatement();
                    var rs = s.executeQuery("SELECT bytes FROM images")) {
                rs.next();
                return rs.getBytes(1).length;
            }
        });
        assertThat(rowBytes).as("the row holds no bytes").isZero();
        assertThat(onDisk.find(stored.hash(), "png", Optional.empty())
                        .orElseThrow()
                        .bytes())
                .isEqualTo(png);
        assertThat(onDisk.find(stored.hash(), "webp", Optional.of(320))).isPresent();

        byte[] older = image(61, 40, "png");
        Images.Stored inRow = images.upload(alice, "image/png", older);
        assertThat(onDisk.find(inRow.hash(), "png", Optional.empty())
                        .orElseThrow()
                        .bytes())
                .as("an image stored in its row before files were used is still served")
                .isEqualTo(older);

        Post post = posts.create(alice, new PostEdit("P", "![](" + stored.url() + ")", null, null));
        posts.delete(alice, post.id());
        assertThat(file).doesNotExist();
        assertThat(onDisk.find(stored.hash(), "png", Optional.empty())).isEmpty();
        Images.Stored again = onDisk.upload(alice, "image/png", png);
        assertThat(onDisk.find(again.hash(), "png", Optional.empty()))
                .as("uploaded again")
                .isPresent();
    }
}
