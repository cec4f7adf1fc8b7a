package dev.edgecache.origin.markdown;

import dev.edgecache.origin.markdown.ImageSizes.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * Rewrites an uploaded image, {@code <img src="/images/{hash}[-{width}].{png|jpg}">}, as {@code <picture>}: a WebP
 * {@code <source>} and the original format, each with a {@code srcset} of the widths the origin serves up to the
 * one the author chose, so a browser downloads the format it reads and the width its layout needs, and a shared
 * cache keys every variant by URL (no {@code Vary}). {@code width} and {@code height} reserve the image's box before
 * it loads. Runs on the sanitised tree: the markup it adds is its own, built from a checked hash and numbers.
 */
final class ResponsiveImages {
    private static final Pattern SRC = Pattern.compile("/images/([0-9a-f]{32})(?:-([0-9]{3,4}))?\\.(png|jpg)");
    /** The article column: the whole viewport less the page's padding on a phone, the measure (44rem) beyond. */
    static final String SIZES = "(max-width: 44rem) calc(100vw - 2.5rem), 41.5rem";

    private final ImageSizes sizes;

    ResponsiveImages(ImageSizes sizes) {
        this.sizes = sizes;
    }

    void rewrite(Element root) {
        for (Element img : root.select("img[src]")) {
            if (img.parent() != null && img.parent().nameIs("picture")) continue;
            Matcher m = SRC.matcher(img.attr("src"));
            if (!m.matches()) continue;
            Optional<Size> size = sizes.size(m.group(1));
            if (size.isEmpty()) continue;
            String hash = m.group(1);
            String extension = m.group(3);
            int original = size.get().width();
            int top = m.group(2) == null ? original : Math.min(original, Integer.parseInt(m.group(2)));
            int height = Math.max(1, Math.round(size.get().height() * (top / (float) original)));

            Element picture = new Element("picture");
            img.before(picture);
            if (sizes.webp()) {
                picture.appendElement("source")
                        .attr("type", "image/webp")
                        .attr("srcset", srcset(hash, "webp", original, top))
                        .attr("sizes", SIZES);
            }
            img.remove();
            picture.appendChild(img);
            img.attr("srcset", srcset(hash, extension, original, top))
                    .attr("sizes", SIZES)
                    .attr("width", Integer.toString(top))
                    .attr("height", Integer.toString(height))
                    .attr("loading", "lazy")
                    .attr("decoding", "async");
        }
    }

    /** The served widths below {@code top}, then {@code top} itself (the original when it is not resized). */
    static String srcset(String hash, String extension, int original, int top) {
        List<String> candidates = new ArrayList<>();
        for (int w : ImageSizes.WIDTHS) {
            if (w < top) candidates.add("/images/" + hash + "-" + w + "." + extension + " " + w + "w");
        }
        String suffix = top < original ? "-" + top : "";
        candidates.add("/images/" + hash + suffix + "." + extension + " " + top + "w");
        return String.join(", ", candidates);
    }
}
