package org.spherenet.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.spherenet.train.Metrics;
import org.spherenet.train.Summary;
import org.spherenet.train.TrainConfig;
import org.spherenet.train.TrainingListener;

/**
 * Shows a run's progress: on a terminal a progress bar with ETA, loss, accuracy and images/s;
 * otherwise one plain line per evaluation (for logs and CI).
 */
final class Progress {

    private Progress() {}

    static TrainingListener create() {
        return System.console() != null ? new Bar() : new Lines();
    }

    static String line(Metrics m) {
        return String.format(java.util.Locale.ROOT,
                "iter %6d  epoch %5.2f  loss %.4f  train %.2f%%  test %.2f%%  lr %.2g  %.0f img/s  %.0f s",
                m.iteration(), m.epoch(), m.fitLoss(), 100 * m.trainAccuracy(), 100 * m.testAccuracy(),
                m.learningRate(), m.imagesPerSecond(), m.elapsedSeconds());
    }

    /** One line per evaluation. */
    static final class Lines implements TrainingListener {
        @Override
        public void onEvaluation(Metrics metrics) {
            System.out.println(line(metrics));
        }
    }

    /** A progress bar on the terminal. */
    static final class Bar implements TrainingListener {
        private ProgressBar bar;
        private double smoothedLoss = Double.NaN;

        @Override
        public void onStart(TrainConfig config, long startIteration) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(config.iterations)
                    .setStyle(ProgressBarStyle.ASCII).startsFrom(startIteration, java.time.Duration.ZERO)
                    .build();
        }

        @Override
        public void onStep(long iteration, double loss, double accuracy, double learningRate) {
            if (Double.isFinite(loss)) {
                smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.95 * smoothedLoss + 0.05 * loss;
            }
            bar.stepTo(iteration);
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " loss %.3f acc %.1f%%", smoothedLoss, 100 * accuracy));
        }

        @Override
        public void onEvaluation(Metrics metrics) {
            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " loss %.3f test %.2f%% %.0f img/s",
                    metrics.fitLoss(), 100 * metrics.testAccuracy(), metrics.imagesPerSecond()));
        }

        @Override
        public void onEnd(Summary summary) {
            bar.close();
        }
    }
}
