package dev.agentchat.adapter.http.edge;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * One client connection as the HTTP/1 parser sees it, with the bytes it reads passing through here
 * first: so that a read that waits too long can be cut off, and so that the request line can be
 * read as sent (Helidon upper-cases the method before anyone sees it).
 */
final class WatchedConnection implements ConnectionContext {
    /** How many of the latest bytes are kept: more than a request line and its headers may take. */
    private static final int KEPT = 64 * 1024;
    /** What the ring starts with: a chat request and its headers take well under a kilobyte. */
    private static final int FIRST_KEPT = 4 * 1024;

    private final ConnectionContext connection;
    private final DataReader reader;
    /**
     * The latest bytes read, as a ring of at most {@code KEPT} bytes; {@code received} counts every byte
     * ever read. Allocated when bytes come and let go once a request has been read whole with nothing
     * after it: a connection that holds a long response (an event stream) must not hold these bytes as
     * well, since a service holds thousands of such connections.
     */
    private byte[] recent;
    /** The first position the ring holds: bytes read before it was allocated are not kept. */
    private long keptFrom;
    private long received;
    /** Where the headers of the request being read start, or -1 when none is being read. */
    private long headersStart = -1;
    private final int maxHeaderBytes;
    /** When the read now waiting for the client began (System.nanoTime), or 0 when none waits. */
    private volatile long waitingSince;
    /** Nothing more is read: the request being answered is the connection's last. */
    private boolean ending;
    /** The request being read or served was sent as HTTP/1.0. */
    private boolean http10;

    /** The connection served by the current thread: Helidon serves each connection on a thread of its own. */
    private static final ThreadLocal<WatchedConnection> CURRENT = new ThreadLocal<>();

    WatchedConnection(ConnectionContext connection, int maxHeaderBytes) {
        this.connection = connection;
        this.maxHeaderBytes = maxHeaderBytes;
        DataReader raw = connection.dataReader();
        this.reader = new Http10Lines(() -> next(raw));
    }

    /**
     * Whether the request being served was sent as HTTP/1.0: its request line was passed to the parser as
     * HTTP/1.1, so that Helidon, which refuses 1.0 with a 505, serves it; what differs is up to this adapter.
     */
    boolean http10() {
        return http10;
    }

    /**
     * The reader the HTTP/1 parser reads: a request line that ends in {@code HTTP/1.0} is read as one that
     * ends in {@code HTTP/1.1}. Helidon 4.2 reads a request line, and nothing else outside the headers, with
     * {@link DataReader#readBytes(int)} (the headers' {@code Connection} values too, but those are read while
     * {@code headersStart} marks headers being read), so a line read that way outside headers is a request line.
     */
    private final class Http10Lines extends DataReader {
        private static final byte[] HTTP_10 = " HTTP/1.0".getBytes(StandardCharsets.US_ASCII);

        Http10Lines(Supplier<byte[]> bytes) {
            super(bytes);
        }

        @Override
        public byte[] readBytes(int length) {
            byte[] bytes = super.readBytes(length);
            if (headersStart < 0) {
                http10 = endsWithHttp10(bytes);
                if (http10) {
                    bytes[bytes.length - 1] = '1';
                }
            }
            return bytes;
        }

        private static boolean endsWithHttp10(byte[] line) {
            if (line.length < HTTP_10.length) {
                return false;
            }
            return Arrays.equals(line, line.length - HTTP_10.length, line.length, HTTP_10, 0, HTTP_10.length);
        }
    }

    /** The connection the current thread serves, if it is one of ours. */
    static Optional<WatchedConnection> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    void serving() {
        CURRENT.set(this);
    }

    void served() {
        CURRENT.remove();
    }

    /**
     * Makes the request being answered the connection's last: what the client sent after it is
     * dropped unread, and the connection closes once the answer is out.
     */
    void endAfterThisRequest() {
        ending = true;
        reader.skip(reader.available());
    }

    private byte[] next(DataReader raw) {
        if (ending) {
            throw new CloseConnectionException("the last request of the connection was answered");
        }
        waitingSince = System.nanoTime() | 1;
        byte[] bytes;
        try {
            raw.ensureAvailable();
            bytes = raw.readBytes(raw.available());
        } catch (DataReader.InsufficientDataAvailableException e) {
            return null;
        } finally {
            waitingSince = 0;
        }
        keep(bytes);
        checkHeaderSize();
        return bytes;
    }

    private void keep(byte[] bytes) {
        if (recent == null) {
            recent = new byte[FIRST_KEPT];
            keptFrom = received;
        }
        // Grown as a request needs it, up to KEPT: most requests fit the first few kilobytes.
        while (recent.length < KEPT && received + bytes.length - keptFrom > recent.length) {
            grow();
        }
        int length = Math.min(bytes.length, recent.length);
        int from = bytes.length - length;
        long position = received + from;
        int at = index(position);
        int first = Math.min(length, recent.length - at);
        System.arraycopy(bytes, from, recent, at, first);
        System.arraycopy(bytes, from + first, recent, 0, length - first);
        received += bytes.length;
    }

    /** Doubles the ring (at most to KEPT), each byte it holds moved to its place in the larger one. */
    private void grow() {
        byte[] larger = new byte[Math.min(KEPT, recent.length * 2)];
        for (long position = Math.max(keptFrom, received - recent.length); position < received; position++) {
            larger[(int) (position % larger.length)] = recent[index(position)];
        }
        recent = larger;
    }

    /**
     * The request being answered was read whole: unless more has come after it (a pipelined request),
     * the bytes kept are needed no more, and the ring is let go until the client sends again.
     */
    void requestRead() {
        if (headersStart < 0 && reader.available() == 0) {
            recent = null;
        }
    }

    /** How long the read now waiting for the client has waited, in nanoseconds; 0 when none waits. */
    long waitingNanos(long now) {
        long since = waitingSince;
        return since == 0 ? 0 : now - since;
    }

    /** Cuts the connection: a read waiting on it fails at once, and the connection ends. */
    void cut() {
        try {
            connection.serverSocket().close();
        } catch (RuntimeException e) {
            // already closed
        }
    }

    /** Where the parser is in the bytes read: everything before it has been consumed. */
    private long consumed() {
        return received - reader.available();
    }

    /**
     * The method of the request line the parser has just read, as the client sent it: the
     * {@code length} bytes before the line's target, found back from the line's end (neither the target
     * nor the version holds a space). Empty when the line is no longer among the bytes kept.
     */
    Optional<String> sentMethod(int length) {
        if (recent == null) {
            return Optional.empty();
        }
        long floor = Math.max(keptFrom, received - recent.length);
        long end = consumed() - 1; // the line's LF
        long i = end - 1;
        if (i >= floor && byteAt(i) == '\r') {
            i--;
        }
        for (int spaces = 0; spaces < 2 && i >= floor; i--) {
            if (byteAt(i) == ' ') {
                spaces++;
                if (spaces == 2) {
                    break;
                }
            }
        }
        long start = i - length;
        if (start < floor || i < floor) {
            return Optional.empty();
        }
        byte[] method = new byte[length];
        for (int k = 0; k < length; k++) {
            method[k] = byteAt(start + k);
        }
        return Optional.of(new String(method, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The request line has been read: its headers come next, and may take at most {@code maxHeaderBytes}. */
    void headersBegin() {
        headersStart = consumed();
        checkHeaderSize();
    }

    /** The headers have been read. */
    void headersEnd() {
        headersStart = -1;
    }

    /**
     * Refuses headers longer than the limit as soon as that many bytes have come without their end,
     * so that the answer can be 431 rather than the parser's plain 400.
     */
    private void checkHeaderSize() {
        if (recent == null || headersStart < keptFrom || received - headersStart <= maxHeaderBytes
                || received - headersStart > recent.length) {
            return;
        }
        byte first = byteAt(headersStart);
        if (first == '\r' || first == '\n') {
            return; // no headers at all
        }
        long limit = Math.min(received, headersStart + maxHeaderBytes + 2);
        for (long i = headersStart; i + 1 < limit; i++) {
            if (byteAt(i) == '\n' && (byteAt(i + 1) == '\n'
                    || i + 2 < received && byteAt(i + 1) == '\r' && byteAt(i + 2) == '\n')) {
                return;
            }
        }
        headersStart = -1;
        throw RequestChecks.headersTooLarge(maxHeaderBytes);
    }

    private byte byteAt(long position) {
        return recent[index(position)];
    }

    private int index(long position) {
        return (int) (position % recent.length);
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public ListenerContext listenerContext() {
        return connection.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return connection.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return connection.dataWriter();
    }

    @Override
    public Router router() {
        return connection.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return connection.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return connection.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return connection.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return connection.localPeer();
    }

    @Override
    public boolean isSecure() {
        return connection.isSecure();
    }

    @Override
    public String socketId() {
        return connection.socketId();
    }

    @Override
    public String childSocketId() {
        return connection.childSocketId();
    }

    @Override
    public String toString() {
        return "WatchedConnection[" + connection.childSocketId() + "]";
    }
}
