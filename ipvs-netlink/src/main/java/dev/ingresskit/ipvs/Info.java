package dev.ingresskit.ipvs;

/**
 * {@code IPVS_CMD_GET_INFO}: the IPVS version code (e.g. {@code 0x010201}) and the size of the
 * connection hash table.
 */
public record Info(int versionCode, int connectionTableSize) {
    /** {@code "1.2.1"}. */
    public String version() {
        return ((versionCode >> 16) & 0xFF) + "." + ((versionCode >> 8) & 0xFF) + "." + (versionCode & 0xFF);
    }
}
