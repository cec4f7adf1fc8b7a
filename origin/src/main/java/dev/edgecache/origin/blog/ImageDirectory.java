package dev.edgecache.origin.blog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Image bytes as files, content-addressed: {@code {dir}/{hash[0..2]}/{hash}}. A file is written under a temporary
 * name in its final directory and renamed into place, so a reader sees the whole file or none, and a crash leaves at
 * most a {@code .tmp} file, never a torn image. Rows written before this store was used keep their bytes in the
 * database and are still read from there. Thread-safe (callers serialise writes through the database's write lock).
 */
public final class ImageDirectory implements ImageBytes {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{32}");

    private final Path dir;

    public ImageDirectory(Path dir) {
        this.dir = dir;
    }

    Path fileOf(String hash) {
        if (!HASH.matcher(hash).matches()) throw new IllegalArgumentException("not an image hash: " + hash);
        return dir.resolve(hash.substring(0, 2)).resolve(hash);
    }

    @Override
    public byte[] store(String hash, byte[] bytes) {
        Path file = fileOf(hash);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), hash, ".tmp");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store image " + hash + " in " + dir, e);
        }
        return new byte[0];
    }

    @Override
    public Optional<byte[]> load(String hash, byte[] column) {
        if (column.length > 0) return Optional.of(column); // stored in the database before files were used
        try {
            return Optional.of(Files.readAllBytes(fileOf(hash)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + hash + " from " + dir, e);
        }
    }

    @Override
    public void forget(String hash) {
        try {
            Files.deleteIfExists(fileOf(hash));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete image " + hash + " from " + dir, e);
        }
    }
}
