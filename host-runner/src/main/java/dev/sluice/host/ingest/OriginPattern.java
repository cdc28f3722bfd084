package dev.sluice.host.ingest;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An allowed {@code Origin} from an api key's {@code origins}: {@code *} matches any run of
 * characters (including none), everything else literally, case-insensitively; e.g.
 * {@code *example.com} or {@code https://*.example.com}.
 */
final class OriginPattern {

    private final Pattern pattern;

    private OriginPattern(Pattern pattern) {
        this.pattern = pattern;
    }

    static OriginPattern of(String glob) {
        StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', start)) {
            if (star > start) {
                regex.append(Pattern.quote(glob.substring(start, star)));
            }
            regex.append(".*");
            start = star + 1;
        }
        if (start < glob.length()) {
            regex.append(Pattern.quote(glob.substring(start)));
        }
        return new OriginPattern(Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
    }

    boolean matches(String origin) {
        return pattern.matcher(origin.toLowerCase(Locale.ROOT)).matches();
    }

    /** Whether any of the patterns matches; an empty list allows every origin. */
    static boolean anyMatches(List<OriginPattern> patterns, String origin) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (OriginPattern p : patterns) {
            if (p.matches(origin)) {
                return true;
            }
        }
        return false;
    }
}
