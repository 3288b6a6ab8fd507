package dev.agentchat.adapter.http.edge;

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
        if (ctx instanceof WatchedConnection connection) {
            connection.headersEnd();
        }
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
