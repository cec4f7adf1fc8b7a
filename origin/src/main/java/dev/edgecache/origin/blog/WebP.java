package dev.edgecache.origin.blog;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebP encoding through the {@code webp-imageio} ImageIO plugin (libwebp, its natives inside the jar for Linux,
 * macOS and Windows). Lossy at quality {@value #QUALITY}, alpha kept: for the photos and screenshots of a post
 * that is about a third of the JPEG or PNG at the same width. Where the native library cannot load (another
 * platform), {@link #available()} is false and pages offer only the original format: WebP is an extra, never a
 * dependency of a page working. Thread-safe: a writer per call.
 */
public final class WebP {
    private static final Logger log = LoggerFactory.getLogger(WebP.class);
    static final float QUALITY = 0.8f;
    public static final String MEDIA_TYPE = "image/webp";

    private WebP() {}

    private static final class Probe {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try {
                encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
                return true;
            } catch (RuntimeException | LinkageError e) {
                log.warn("images.webp.unavailable reason={} (pages offer the original format only)", e.toString());
                return false;
            }
        }
    }

    /** Whether WebP can be produced here (checked once, by encoding one pixel). */
    public static boolean available() {
        return Probe.AVAILABLE;
    }

    static byte[] encode(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType(MEDIA_TYPE);
        if (!writers.hasNext()) throw new IllegalStateException("no WebP ImageIO writer on the class path");
        ImageWriter writer = writers.next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Lossy");
            param.setCompressionQuality(QUALITY);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode WebP", e);
        } finally {
            writer.dispose();
        }
    }
}
