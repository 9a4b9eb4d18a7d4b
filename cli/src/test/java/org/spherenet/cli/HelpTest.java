package org.spherenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every command's {@code --help} says what each option is when it is not given. */
class HelpTest {

    @Test
    void everyOptionOfEveryCommandNamesItsDefault() {
        List<String> missing = new ArrayList<>();
        CommandLine cli = new CommandLine(new SphereNetCli());
        for (CommandLine command : cli.getSubcommands().values()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                String description = String.join(" ", option.description());
                if (!description.contains("default")) {
                    missing.add(command.getCommandName() + " " + option.longestName());
                }
            }
        }
        assertThat(missing).as("options whose --help names no default").isEmpty();
    }

    @Test
    void modelsSaysWhichInputItsFiguresAreFor() {
        Object[] result = CliTest.run("models", "--input", "1,28,28", "--width", "0.125");
        assertThat(result[0]).isEqualTo(0);
        assertThat(((String) result[1]).lines().findFirst().orElseThrow())
                .contains("one 1x28x28 image").contains("--input").contains("width 0.125");
        Object[] standard = CliTest.run("models");
        assertThat((String) standard[1]).contains("one 3x32x32 image")
                .contains("* built for 224x224 images: see 'spherenet models --input 3,224,224'");
    }
}
