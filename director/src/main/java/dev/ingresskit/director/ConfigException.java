package dev.ingresskit.director;

/**
 * A director config file that cannot be used: names the file, the line, the field and what was
 * wrong, e.g. {@code director.conf:12: backend weight: '-1' is not 0..65535}.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String field;
    private final String problem;

    ConfigException(String source, int line, String field, String problem) {
        super(source + ":" + line + ": " + field + ": " + problem);
        this.source = source;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    /** The file name (or other source label) given to the parser. */
    public String source() {
        return source;
    }

    /** 1-based line number; 0 when the problem is about the file as a whole. */
    public int line() {
        return line;
    }

    /** The keyword and option at fault, e.g. {@code backend weight}. */
    public String field() {
        return field;
    }

    /** What was wrong, without the location. */
    public String problem() {
        return problem;
    }
}
