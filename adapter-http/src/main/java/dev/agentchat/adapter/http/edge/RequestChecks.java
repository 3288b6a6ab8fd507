package dev.agentchat.adapter.http.edge;

import io.helidon.common.uri.UriValidator;
import io.helidon.http.DateTime;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks each request's line and headers as the HTTP/1 parser reads them, before any route runs, for
 * what Helidon 4.2 lets through: a request whose body could be framed two ways (RFC 9112 section 6.3
 * says to refuse it and close the connection, as a proxy in front may have framed it the other way),
 * a method in another case than sent, conditional dates that are no dates (RFC 9110 section
 * 13.1.3: ignored), and entity-tag conditions that are no entity-tags (refused: Helidon's static
 * content fails on them, and a route cannot tell what such a condition meant).
 */
final class RequestChecks implements Http1ConnectionListener {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    /** {@code *} or a list of entity-tags (RFC 9110 section 8.8.3 and 13.1.1). */
    private static final Pattern ENTITY_TAGS = Pattern.compile(
            "\\*|(W/)?\"[\\x21\\x23-\\x7E\\x80-\\xFF]*\"([ \\t]*,[ \\t]*(W/)?\"[\\x21\\x23-\\x7E\\x80-\\xFF]*\")*");
    private static final List<HeaderName> TAG_CONDITIONS = List.of(HeaderNames.IF_MATCH, HeaderNames.IF_NONE_MATCH);
    private static final List<HeaderName> DATE_CONDITIONS = List.of(HeaderNames.IF_MODIFIED_SINCE,
            HeaderNames.IF_UNMODIFIED_SINCE);

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        if (!(ctx instanceof WatchedConnection connection)) {
            return;
        }
        String method = prologue.method().text();
        connection.sentMethod(method.length()).ifPresent(sent -> {
            // Methods are case-sensitive (RFC 9110 section 9.1); Helidon upper-cases them, so "post" would be run as POST.
            if (!sent.equals(method)) {
                throw refuse(Status.BAD_REQUEST_400, "method names are case-sensitive");
            }
        });
        connection.headersBegin();
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        boolean http10 = false;
        if (ctx instanceof WatchedConnection connection) {
            connection.headersEnd();
            http10 = connection.http10();
        }
        if (http10) {
            http10(ctx, headers);
        }
        checkHost(headers);
        List<String> lengths = headers.contains(HeaderNames.CONTENT_LENGTH)
                ? headers.get(HeaderNames.CONTENT_LENGTH).allValues(true) : List.of();
        boolean transferEncoded = headers.contains(HeaderNames.TRANSFER_ENCODING);
        if (!lengths.isEmpty() && transferEncoded) {
            throw refuse(Status.BAD_REQUEST_400, "Content-Length with Transfer-Encoding");
        }
        if (!lengths.isEmpty()) {
            String first = lengths.getFirst().strip();
            for (String length : lengths) {
                if (!DIGITS.matcher(length.strip()).matches() || !length.strip().equals(first)) {
                    throw refuse(Status.BAD_REQUEST_400, "Content-Length that is not one number");
                }
            }
        }
        if (transferEncoded) {
            List<String> codings = headers.get(HeaderNames.TRANSFER_ENCODING).allValues(true);
            if (codings.size() != 1 || !codings.getFirst().strip().toLowerCase(Locale.ROOT).equals("chunked")) {
                throw refuse(Status.NOT_IMPLEMENTED_501, "a transfer coding other than chunked");
            }
        }
        for (HeaderName condition : TAG_CONDITIONS) {
            if (headers.contains(condition)) {
                for (String value : headers.get(condition).allValues(false)) {
                    if (!ENTITY_TAGS.matcher(value.strip()).matches()) {
                        throw refuse(Status.BAD_REQUEST_400, "an " + condition.defaultCase() + " that is not a list of entity-tags");
                    }
                }
            }
        }
        if (headers instanceof WritableHeaders<?> writable) {
            for (HeaderName condition : DATE_CONDITIONS) {
                if (writable.contains(condition) && !isDate(writable.get(condition).get())) {
                    writable.remove(condition);
                }
            }
        }
    }

    /**
     * What an HTTP/1.0 request needs before it is served as the HTTP/1.1 request it was passed on as: it may
     * come without a {@code Host} (RFC 9112 section 3.2 asks for one in 1.1 only), and then names the address
     * it reached (section 3.3); it cannot be framed by {@code Transfer-Encoding}, which 1.0 does not have
     * (section 6.1: the framing is faulty, refused and the connection closed); and its {@code Expect:
     * 100-continue} is ignored (RFC 9110 section 10.1.1), as a 1.0 client would not know a 100 answer.
     */
    private static void http10(ConnectionContext ctx, Headers headers) {
        if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            throw refuse(Status.BAD_REQUEST_400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        if (headers instanceof WritableHeaders<?> writable) {
            writable.remove(HeaderNames.EXPECT);
            if (!writable.contains(HeaderNames.HOST)) {
                writable.set(HeaderNames.HOST, authorityOf(ctx.localPeer().address()));
            }
        }
    }

    private static String authorityOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() instanceof Inet6Address
                    ? "[" + inet.getAddress().getHostAddress().replaceFirst("%.*", "") + "]"
                    : inet.getAddress().getHostAddress();
            return host + ":" + inet.getPort();
        }
        return "localhost";
    }

    /**
     * One {@code Host}, which is a host and port (RFC 9112 section 3.2): Helidon checks it the same way, but
     * before this adapter could tell an HTTP/1.0 request, whose Host may be missing, so its check is off.
     */
    private static void checkHost(Headers headers) {
        List<String> hosts = headers.all(HeaderNames.HOST, List::of);
        if (hosts.size() != 1 || hosts.getFirst().isEmpty()) {
            throw refuse(Status.BAD_REQUEST_400, hosts.isEmpty() ? "no Host" : hosts.size() > 1 ? "more than one Host"
                    : "an empty Host");
        }
        String host = hosts.getFirst();
        try {
            int startLiteral = host.indexOf('[');
            int endLiteral = host.lastIndexOf(']');
            if (startLiteral == 0 && (endLiteral == host.length() - 1 || endLiteral == -1)) {
                UriValidator.validateIpLiteral(host);
                return;
            }
            int colon = host.lastIndexOf(':');
            if (colon == -1) {
                UriValidator.validateNonIpLiteral(host);
                return;
            }
            Integer.parseInt(host.substring(colon + 1));
            String name = host.substring(0, colon);
            if (startLiteral == 0 && endLiteral == name.length() - 1) {
                UriValidator.validateIpLiteral(name);
            } else {
                UriValidator.validateNonIpLiteral(name);
            }
        } catch (IllegalArgumentException e) {
            throw refuse(Status.BAD_REQUEST_400, "a Host that is no host and port");
        }
    }

    private static boolean isDate(String value) {
        try {
            DateTime.parse(value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A refusal answered before routing, after which the connection is closed: what follows cannot be trusted. */
    static RequestException refuse(Status status, String what) {
        return RequestException.builder()
                .type(EventType.BAD_REQUEST)
                .status(status)
                .setKeepAlive(false)
                .message("Refused a request with " + what)
                .safeMessage(true)
                .build();
    }

    static RequestException headersTooLarge(int limit) {
        return refuse(Status.create(431, "Request Header Fields Too Large"), "headers over " + limit + " bytes");
    }
}
