package dev.sluice.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection to 127.0.0.1 that writes pre-built POST requests and reads
 * the status of each answer. A plain socket instead of an HTTP client library so that the load
 * generator costs little CPU on a machine it shares with the server.
 */
final class LoopbackConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    LoopbackConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 4096);
    }

    /** A complete POST request to {@code path} with a JSON body. */
    static byte[] post(String path, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "User-Agent: sluice-bench/1.0\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** Sends one request and returns the answer's status once its body is read. */
    int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        return readResponse();
    }

    private int readResponse() throws IOException {
        StringBuilder head = new StringBuilder(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            head.append((char) b);
            if (b == "\r\n\r\n".charAt(matched)) {
                matched++;
            } else {
                matched = b == '\r' ? 1 : 0;
            }
        }
        String text = head.toString();
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed mid-body");
        }
        return status;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
