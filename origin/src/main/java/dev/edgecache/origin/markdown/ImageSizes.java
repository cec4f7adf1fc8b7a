package dev.edgecache.origin.markdown;

import java.util.List;
import java.util.Optional;

/**
 * What {@link Markdown} needs to know of the blog's uploaded images to write responsive markup for them: their
 * size (for {@code srcset} widths and the {@code width}/{@code height} that reserve their box) and whether WebP
 * copies are served. Implemented by the image store; {@link #NONE} leaves images as written.
 */
public interface ImageSizes {
    /** The widths the origin serves resized copies at, {@code /images/{hash}-{width}.{ext}}; any other is 404. */
    List<Integer> WIDTHS = List.of(320, 640, 1280);

    /** Width and height in pixels of an image as uploaded. */
    record Size(int width, int height) {}

    /** Knows no image: {@code <img>} elements are left as they are. */
    ImageSizes NONE = new ImageSizes() {
        @Override
        public Optional<Size> size(String hash) {
            return Optional.empty();
        }

        @Override
        public boolean webp() {
            return false;
        }
    };

    /** The size of the uploaded image named by {@code hash}, empty when there is none. */
    Optional<Size> size(String hash);

    /** Whether {@code /images/{hash}[-{width}].webp} copies are served. */
    boolean webp();
}
