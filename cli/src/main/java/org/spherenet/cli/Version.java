package org.spherenet.cli;

import picocli.CommandLine.IVersionProvider;

/** The tool's version, from the jar's manifest (Maven sets it). */
public final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {
            "spherenet " + (v == null ? "(development build)" : v),
            "Java " + System.getProperty("java.version")
        };
    }
}
