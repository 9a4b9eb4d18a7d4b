package org.spherenet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safe extraction: archives that try to write outside the target folder are refused. */
class TarGzTest {

    @TempDir Path tmp;

    /** An entry to write: a file (link == null), or a symbolic / hard link. */
    private record Entry(String name, String content, String link, byte type) {
        static Entry file(String name, String content) {
            return new Entry(name, content, null, TarConstants.LF_NORMAL);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, null, target, TarConstants.LF_SYMLINK);
        }

        static Entry hardLink(String name, String target) {
            return new Entry(name, null, target, TarConstants.LF_LINK);
        }
    }

    private Path archive(Entry... entries) throws IOException {
        Path archive = Files.createTempFile(tmp, "a", ".tar.gz");
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            for (Entry e : entries) {
                TarArchiveEntry entry =
                        e.link == null
                                ? new TarArchiveEntry(e.name, true)
                                : new TarArchiveEntry(e.name, e.type, true);
                if (e.link != null) {
                    entry.setLinkName(e.link);
                    tar.putArchiveEntry(entry);
                } else {
                    byte[] bytes = e.content.getBytes(StandardCharsets.UTF_8);
                    entry.setSize(bytes.length);
                    tar.putArchiveEntry(entry);
                    tar.write(bytes);
                }
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private Path target() throws IOException {
        return Files.createDirectories(tmp.resolve("deep/target"));
    }

    /** Nothing was written next to the target folder. */
    private void assertNothingOutside() throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("deep"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("target");
        }
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void regularArchiveExtractsWithInsideLinks() throws IOException {
        Path archive =
                archive(
                        Entry.file("d/a.txt", "A"),
                        Entry.symlink("d/b.txt", "a.txt"),
                        Entry.hardLink("d/c.txt", "d/a.txt"));
        TarGz.extract(archive, target(), 1000);
        assertThat(target().resolve("d/a.txt")).hasContent("A");
        assertThat(target().resolve("d/b.txt")).hasContent("A");
        assertThat(Files.isSymbolicLink(target().resolve("d/b.txt"))).isTrue();
        assertThat(target().resolve("d/c.txt")).hasContent("A");
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        Path archive = archive(Entry.file(tmp.resolve("evil").toString(), "x"));
        assertThatThrownBy(() -> TarGz.extract(archive, target(), 1000))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("unsafe archive entry")
                .hasMessageContaining("absolute path");
        assertNothingOutside();
    }

    @Test
    void dotDotPathIsRefused() throws IOException {
        Path archive = archive(Entry.file("ok.txt", "fine"), Entry.file("../../evil", "x"));
        assertThatThrownBy(() -> TarGz.extract(archive, target(), 1000))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("unsafe archive entry ../../evil: path with ..");
        assertNothingOutside();
    }

    @Test
    void symlinkLeavingTheTargetIsRefused() throws IOException {
        Path archive = archive(Entry.symlink("escape", "../.."), Entry.file("escape/evil", "x"));
        assertThatThrownBy(() -> TarGz.extract(archive, target(), 1000))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("unsafe archive entry escape: link to ../.. may leave the target folder");
        assertNothingOutside();
        assertThat(target().resolve("escape")).doesNotExist();
    }

    @Test
    void absoluteSymlinkIsRefused() throws IOException {
        Path archive = archive(Entry.symlink("escape", tmp.toString()), Entry.file("escape/evil", "x"));
        assertThatThrownBy(() -> TarGz.extract(archive, target(), 1000))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("may leave the target folder");
        assertNothingOutside();
    }

    @Test
    void symlinkChainThroughDotIsRefused() throws IOException {
        // "here -> ." is harmless alone; "up -> here/.." would resolve outside on disk
        Path archive = archive(Entry.symlink("here", "."), Entry.symlink("up", "here/.."), Entry.file("up/evil", "x"));
        assertThatThrownBy(() -> TarGz.extract(archive, target(), 1000))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("unsafe archive entry up");
        assertNothingOutside();
    }

    @Test
    void hardLinkToAFileOutsideIsRefused() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret"), "s");
        Path archive = archive(Entry.hardLink("copy", "../../secret"));
        assertThatThrownBy(() -> TarGz.extract(archive, target(), 1000))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("may leave the target folder");
        assertThat(target().resolve("copy")).doesNotExist();
        assertThat(secret).hasContent("s");
    }

    @Test
    void extractionIsBoundedInSize() throws IOException {
        Path archive = archive(Entry.file("a", "0123456789"), Entry.file("b", "0123456789"));
        assertThatThrownBy(() -> TarGz.extract(archive, target(), 15))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("more than 15 bytes");
    }

    @Test
    void readReturnsOnlyTheWantedRegularMembers() throws IOException {
        Path archive =
                archive(
                        Entry.file("x/one", "1"),
                        Entry.file("x/two", "22"),
                        Entry.symlink("x/three", "one"));
        Map<String, byte[]> members = TarGz.read(archive, Set.of("x/two", "x/three", "x/four"));
        assertThat(members).containsOnlyKeys("x/two");
        assertThat(members.get("x/two")).containsExactly('2', '2');
    }
}
