package org.spherenet.experiment;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spherenet.nn.FusedBackward;

/** The machine and software a study ran on, for the report and {@code results.json}. */
public final class MachineInfo {

    private MachineInfo() {}

    /** CPU model, cores, memory, operating system and device. */
    public static Map<String, String> machine() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name", System.getProperty("os.arch")));
        m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal", "unknown"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("device", Engine.getInstance().defaultDevice().toString());
        return m;
    }

    /** Java, DJL and the engine's versions. */
    public static Map<String, String> software() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("djl", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        m.put("engine", engine.getEngineName() + " " + engine.getVersion());
        m.put("sphereconv", FusedBackward.kernels());
        String ours = MachineInfo.class.getPackage().getImplementationVersion();
        m.put("spherenet", ours == null ? "development build" : ours);
        return m;
    }

    /** The value after the colon on the first line of {@code file} that starts with {@code key}. */
    private static String firstValue(Path file, String key, String fallback) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key) && line.contains(":")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: the fallback says enough
        }
        return fallback;
    }
}
