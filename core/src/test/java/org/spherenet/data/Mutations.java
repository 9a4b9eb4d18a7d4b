package org.spherenet.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded damage to a file's bytes, the way disks, downloads and hostile files damage them: bit
 * flips, overwritten bytes, cut-offs, appended garbage, a moved chunk, and size fields replaced by
 * extreme values (the header of every format we read starts with its sizes).
 */
final class Mutations {

    /** Size-field values that break naive readers: zero, negative, huge, off by one. */
    private static final int[] EXTREMES = {
        0, 1, -1, 2, 255, 256, 65_535, 65_536, 1_000_000, 1_000_000_000, Integer.MAX_VALUE,
        Integer.MIN_VALUE, Integer.MAX_VALUE - 8, 0x7FFF_FFF0, 0x1000_0000,
    };

    private Mutations() {}

    /** A damaged copy of {@code original}; one to three kinds of damage chosen by {@code random}. */
    static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        int rounds = 1 + random.nextInt(3);
        for (int round = 0; round < rounds; round++) {
            bytes = once(bytes, random);
        }
        return bytes;
    }

    private static byte[] once(byte[] bytes, SplittableRandom random) {
        if (bytes.length == 0) {
            return randomBytes(random, random.nextInt(64));
        }
        switch (random.nextInt(8)) {
            case 0: // flip a few bits
                for (int i = random.nextInt(1, 9); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            case 1: // overwrite a few bytes
                for (int i = random.nextInt(1, 9); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                return bytes;
            case 2: // cut off
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 3: // garbage appended
                byte[] longer = Arrays.copyOf(bytes, bytes.length + random.nextInt(1, 4096));
                for (int i = bytes.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                return longer;
            case 4: // a chunk removed from the middle
                int from = random.nextInt(bytes.length);
                int to = from + random.nextInt(bytes.length - from + 1);
                byte[] shorter = new byte[bytes.length - (to - from)];
                System.arraycopy(bytes, 0, shorter, 0, from);
                System.arraycopy(bytes, to, shorter, from, bytes.length - to);
                return shorter;
            case 5: // a size field near the start replaced by an extreme value
            case 6:
                return extremeInt(bytes, random);
            default: // random bytes only
                return randomBytes(random, random.nextInt(4096));
        }
    }

    /** Writes an extreme int, big- or little-endian, at a 2-aligned offset among the first 64 bytes. */
    static byte[] extremeInt(byte[] bytes, SplittableRandom random) {
        if (bytes.length < 4) {
            return bytes;
        }
        int offset = 2 * random.nextInt(Math.min(64, bytes.length - 3) / 2 + 1);
        offset = Math.min(offset, bytes.length - 4);
        ByteOrder order = random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer.wrap(bytes).order(order).putInt(offset, EXTREMES[random.nextInt(EXTREMES.length)]);
        return bytes;
    }

    static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
