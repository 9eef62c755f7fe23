package org.lvsha.core.config;

/** Where a value sits in a configuration file; lines and columns count from 1, as editors show them. */
public record ConfigLocation(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
