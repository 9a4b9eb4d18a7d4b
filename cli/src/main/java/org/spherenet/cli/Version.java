package org.spherenet.cli;

import org.spherenet.nn.FusedBackward;
import picocli.CommandLine.IVersionProvider;

/**
 * The tool's version, from the jar's manifest (Maven sets it), and how SphereConv runs here (its
 * fused kernels are built only where gcc and Sleef were installed).
 */
public final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {
            "spherenet " + (v == null ? "(development build)" : v),
            "Java " + System.getProperty("java.version"),
            "SphereConv: " + FusedBackward.kernels()
        };
    }
}
