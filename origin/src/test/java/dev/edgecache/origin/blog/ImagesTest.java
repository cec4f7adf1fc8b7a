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
}
