package dev.kinesisaggs.app.dashboard;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code Host} headers the dashboard answers: {@code localhost} and IP address literals, with or without a port.
 *
 * <p>Why: a page of any web site can make the browser send requests to a name its DNS first resolves to the site and
 * then to 127.0.0.1 (DNS rebinding); the browser then treats our answers as that site's, and the page reads them. Such
 * a request carries the attacker's name in {@code Host}. A name we do not serve is refused; an address literal cannot
 * be rebound, and {@code localhost} resolves locally.
 */
final class ServedHosts {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+(%[\\w.-]+)?]");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}$");

    private ServedHosts() {
    }

    static boolean serves(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.trim();
        if (!host.endsWith("]")) {
            host = PORT.matcher(host).replaceFirst("");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // "localhost." is the same name
        }
        return host.equals("localhost") || IPV4.matcher(host).matches() || IPV6.matcher(host).matches();
    }

    /** The header as the refusal quotes it: short, one line. */
    static String printable(String hostHeader) {
        if (hostHeader == null) {
            return "(no Host header)";
        }
        String clean = hostHeader.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() <= 100 ? clean : clean.substring(0, 97) + "...";
    }
}
