package org.spherenet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.spherenet.train.ParityRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code spherenet parity-record CASE_DIR...} (hidden): trains each case folder's
 * {@code config.json} through the real training loop and records it for {@code bench/parity.sh}
 * (see {@link ParityRecord}). One process for all cases, so the engine starts once.
 */
@Command(name = "parity-record", hidden = true, mixinStandardHelpOptions = true,
        description = "Record training runs for the lock-step parity check (bench/parity.sh).")
final class ParityRecordCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "CASE_DIR", description = "Folders holding a config.json.")
    List<Path> cases;

    @Override
    public Integer call() throws Exception {
        int failed = 0;
        for (Path dir : cases) {
            long start = System.nanoTime();
            try {
                ParityRecord.record(dir);
                System.err.printf("parity-record: %s (%.1f s)%n", dir.getFileName(), (System.nanoTime() - start) / 1e9);
            } catch (Exception e) { // one broken case must not hide the others
                failed++;
                System.err.printf("parity-record: %s: FAILED: %s%n", dir.getFileName(), e);
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
