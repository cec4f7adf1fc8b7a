package dev.edgecache.origin.blog;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.markdown.ImageSizes;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images authors upload for their posts: PNG or JPEG, at most {@value #MAX_BYTES} bytes and
 * {@value #MAX_SIDE} pixels a side and {@value #MAX_PIXELS} pixels (checked from the header before anything is
 * decoded), described in the database ({@code images}) with their bytes kept by an {@link ImageBytes} (in the row
 * on PostgreSQL, so every origin sharing it serves them; in files beside an embedded SQLite database) under the
 * hex SHA-256 of their bytes. That hash names
 * them in URLs, {@code /images/{hash}.png}, so a URL's content never changes and can be cached for ever; a resized
 * copy, {@code /images/{hash}-{width}.png}, is made on request with the JDK's area-averaging scaler for the widths
 * in {@link #WIDTHS}, and every one of them is also offered as WebP, {@code /images/{hash}[-{width}].webp}
 * ({@link WebP}): a URL per format rather than negotiation on {@code Accept}, so that a shared cache keys them
 * without {@code Vary} (the edge does not store a {@code Vary: Accept} response on a persistent route, and one
 * variant per distinct {@code Accept} line would fragment it); the page chooses with {@code <picture>}.
 *
 * <p>An image lives as long as a post of its owner refers to it: deleting a post, or editing the reference out of
 * it, deletes the images no post refers to any more ({@link #deleteUnreferenced}). Thread-safe.
 */
public final class Images implements ImageSizes {
    private static final Logger log = LoggerFactory.getLogger(Images.class);
    public static final int MAX_BYTES = 3 << 20;
    public static final int MAX_SIDE = 8000;
    /** Decoding costs 4 bytes a pixel: 16 million pixels is 64 MB at most, per resize. */
    public static final long MAX_PIXELS = 16_000_000;

    public static final List<Integer> WIDTHS = ImageSizes.WIDTHS;

    /** A stored image: {@code url} is what the editor inserts (the 1280 wide copy when the original is wider). */
    public record Stored(String hash, String extension, int width, int height, String url) {}

    /** Image bytes to serve. */
    public record File(String contentType, byte[] bytes) {}

    /** How an image is named in Markdown: {@code /images/} and its hash (a width and extension may follow). */
    private static final Pattern REFERENCE = Pattern.compile("/images/([0-9a-f]{32})(?![0-9a-f])");

    private final Database db;
    private final InstantSource clock;
    private final ImageBytes store;

    /** Bytes kept in the database. */
    public Images(Database db, InstantSource clock) {
        this(db, clock, ImageBytes.IN_DATABASE);
    }

    public Images(Database db, InstantSource clock, ImageBytes store) {
        this.db = db;
        this.clock = clock;
        this.store = store;
    }

    /** Checks and stores an upload; the same bytes uploaded twice are stored once. */
    public Stored upload(SessionUser user, String mediaType, byte[] bytes) {
        String extension = switch (mediaType) {
            case "image/png" -> "png";
            case "image/jpeg" -> "jpg";
            default -> throw new RejectedException(415, "images must be image/png or image/jpeg");
        };
        if (bytes.length == 0) throw RejectedException.badRequest("the image is empty");
        if (bytes.length > MAX_BYTES) throw new RejectedException(413, "images are limited to 3 MiB");
        if (!magicMatches(extension, bytes)) {
            throw RejectedException.badRequest("the file is not a " + extension.toUpperCase(java.util.Locale.ROOT));
        }
        int[] size = dimensions(bytes);
        decodes(bytes); // within the pixel limit now: a truncated or corrupt file is refused, not stored
        String hash = hash(bytes);
        db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM images WHERE hash = ?")) {
                p.setString(1, hash);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) return false; // the same bytes are stored already
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO images (hash, user_id, content_type, width, "
                    + "height, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, hash);
                p.setLong(2, user.userId());
                p.setString(3, mediaType);
                p.setInt(4, size[0]);
                p.setInt(5, size[1]);
                p.setBytes(6, store.store(hash, bytes)); // inside the write lock, before the row
                p.setLong(7, clock.millis());
                p.executeUpdate();
            }
            return true;
        });
        int widest = WIDTHS.get(WIDTHS.size() - 1);
        String url = "/images/" + hash + (size[0] > widest ? "-" + widest : "") + "." + extension;
        return new Stored(hash, extension, size[0], size[1], url);
    }

    /**
     * The image {@code hash} as stored, or its copy {@code width} pixels wide (never wider than the original); in
     * its own format ({@code extension} {@code png} or {@code jpg}, which must match it) or as {@code webp}.
     */
    public Optional<File> find(String hash, String extension, Optional<Integer> width) {
        record Row(String contentType, byte[] bytes) {}
        Optional<Row> row = db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT content_type, bytes FROM images WHERE hash = ?")) {
                p.setString(1, hash);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getBytes(2))) : Optional.<Row>empty();
                }
            }
        });
        if (row.isEmpty()) return Optional.empty();
        Optional<byte[]> original = store.load(hash, row.get().bytes());
        if (original.isEmpty()) return Optional.empty();
        String type = row.get().contentType();
        if (extension.equals("webp")) {
            if (!WebP.available()) return Optional.empty();
            BufferedImage image = decode(original.get());
            return Optional.of(new File(WebP.MEDIA_TYPE, WebP.encode(scaled(image, width, alphaOf(type)))));
        }
        if (!extension.equals(type.equals("image/png") ? "png" : "jpg")) return Optional.empty();
        if (width.isEmpty()) return Optional.of(new File(type, original.get()));
        return Optional.of(new File(type, resized(original.get(), type, width.get())));
    }

    /** Width and height of the stored image {@code hash}, read from its row (for {@code <img>} markup). */
    @Override
    public Optional<ImageSizes.Size> size(String hash) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT width, height FROM images WHERE hash = ?")) {
                p.setString(1, hash);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new ImageSizes.Size(rs.getInt(1), rs.getInt(2)))
                            : Optional.<ImageSizes.Size>empty();
                }
            }
        });
    }

    @Override
    public boolean webp() {
        return WebP.available();
    }

    /** The hashes of the images {@code markdown} refers to as {@code /images/{hash}…}. */
    public static Set<String> referencedIn(String markdown) {
        Set<String> hashes = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(markdown);
        while (m.find()) hashes.add(m.group(1));
        return hashes;
    }

    /**
     * Deletes, inside the caller's transaction, those of {@code hashes} that {@code userId} uploaded and that no
     * post (of anyone, in any state: a draft may be published later, and another author may have uploaded the
     * same bytes, which are stored once) refers to any more; returns the hashes of the deleted ones, whose bytes
     * the caller then drops with {@link #forget} after the commit. An image of another user is never deleted here,
     * though a post refers to it.
     */
    static List<String> deleteUnreferenced(Connection c, long userId, Set<String> hashes) throws SQLException {
        List<String> deleted = new ArrayList<>();
        for (String hash : hashes) {
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM posts WHERE body LIKE ?")) {
                p.setString(1, "%/images/" + hash + "%"); // a hash is hex: no LIKE wildcard in it
                p.setMaxRows(1);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) continue;
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM images WHERE hash = ? AND user_id = ?")) {
                p.setString(1, hash);
                p.setLong(2, userId);
                if (p.executeUpdate() > 0) {
                    deleted.add(hash);
                    log.info("image.deleted hash={} user={}", hash, userId);
                }
            }
        }
        return deleted;
    }

    /**
     * Drops the bytes of deleted images, in a write transaction after the one that deleted their rows committed:
     * dropped first, a failed commit would leave rows without bytes. The same bytes uploaded again in between have
     * a row again and are kept.
     */
    static void forget(Database db, ImageBytes store, List<String> hashes) {
        if (hashes.isEmpty()) return;
        db.write(c -> {
            for (String hash : hashes) {
                try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM images WHERE hash = ?")) {
                    p.setString(1, hash);
                    try (ResultSet rs = p.executeQuery()) {
                        if (!rs.next()) store.forget(hash);
                    }
                }
            }
            return hashes.size();
        });
    }

    static byte[] resized(byte[] original, String contentType, int width) {
        BufferedImage image = decode(original);
        if (image.getWidth() <= width) return original;
        boolean png = contentType.equals("image/png");
        return encode(scaled(image, Optional.of(width), png), png ? "png" : "jpg");
    }

    private static boolean alphaOf(String contentType) {
        return contentType.equals("image/png");
    }

    /** {@code image} scaled down to {@code width} with the area-averaging scaler, or as it is if not wider. */
    private static BufferedImage scaled(BufferedImage image, Optional<Integer> width, boolean alpha) {
        if (width.isEmpty() || image.getWidth() <= width.get()) return image;
        int w = width.get();
        int height = Math.max(1, Math.round(image.getHeight() * (w / (float) image.getWidth())));
        BufferedImage out =
                new BufferedImage(w, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Image scaled = image.getScaledInstance(w, height, Image.SCALE_AREA_AVERAGING);
        var g = out.createGraphics();
        try {
            g.drawImage(scaled, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) throw new IllegalStateException("a stored image cannot be decoded");
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode image", e);
        }
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, format, bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image", e);
        }
    }

    private static boolean magicMatches(String extension, byte[] b) {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        return switch (extension) {
            case "png" -> b.length > 8 && Arrays.equals(Arrays.copyOf(b, 8), png);
            default -> b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
        };
    }

    /** Width and height from the header, without decoding the pixels; 400 beyond {@value #MAX_SIDE} a side. */
    private static int[] dimensions(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw RejectedException.badRequest("the image cannot be read");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
                    throw RejectedException.badRequest("images are limited to " + MAX_SIDE + " pixels a side and "
                            + MAX_PIXELS / 1_000_000 + " megapixels");
                }
                return new int[] {w, h};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw RejectedException.badRequest("the image cannot be read");
        }
    }

    private static void decodes(byte[] bytes) {
        try {
            if (ImageIO.read(new ByteArrayInputStream(bytes)) == null) {
                throw RejectedException.badRequest("the image cannot be read");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RejectedException r) throw r;
            throw RejectedException.badRequest("the image is damaged or incomplete");
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
