package org.spherenet.experiment;

/**
 * A share of a study's runs ({@code --shard I/N}): a run belongs to shard {@code 1 + h mod N}
 * where h is taken from its run name's settings hash, so every process, machine or session that
 * names the same N agrees on the split, whichever study (or {@code all}) it runs, and a run two
 * studies share is trained by one shard only.
 *
 * @param index 1..count
 * @param count how many shards split the runs
 */
public record Shard(int index, int count) {

    /** The whole study. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard must be I/N with 1 <= I <= N, got " + index + "/" + count);
        }
    }

    /**
     * Parses {@code I/N}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("shard must be I/N with 1 <= I <= N, got '" + text + "'");
    }

    /** Whether the run named {@code run} (model-hash, as {@link TrialRunner#id}) is this shard's. */
    public boolean owns(String run) {
        if (count == 1) {
            return true;
        }
        String hash = run.substring(run.lastIndexOf('-') + 1);
        return Long.remainderUnsigned(Long.parseUnsignedLong(hash.substring(0, Math.min(12, hash.length())), 16), count)
                == index - 1;
    }

    public boolean isWhole() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
