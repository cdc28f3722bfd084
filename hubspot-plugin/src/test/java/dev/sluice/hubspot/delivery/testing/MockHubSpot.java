package dev.sluice.hubspot.delivery.testing;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a MockWebServer on 127.0.0.1 and drains its recorded requests with bounded waits. */
public final class MockHubSpot {

    private MockHubSpot() {
    }

    public static MockWebServer start() {
        MockWebServer server = new MockWebServer();
        server.setServerSocketFactory(new NoDelayServerSocketFactory());
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    /**
     * Server sockets whose accepted connections send small writes at once: with Nagle's algorithm a
     * response written in two parts waits for the client's delayed ACK (about 40 ms per call on
     * loopback), which made 10,000 sequential calls take minutes.
     */
    private static final class NoDelayServerSocketFactory extends ServerSocketFactory {

        private static final class NoDelayServerSocket extends ServerSocket {
            NoDelayServerSocket() throws IOException {
                super();
            }

            @Override
            public Socket accept() throws IOException {
                Socket socket = super.accept();
                socket.setTcpNoDelay(true);
                return socket;
            }
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new NoDelayServerSocket();
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket socket = createServerSocket();
            socket.bind(new InetSocketAddress(port));
            return socket;
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            ServerSocket socket = createServerSocket();
            socket.bind(new InetSocketAddress(port), backlog);
            return socket;
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            ServerSocket socket = createServerSocket();
            socket.bind(new InetSocketAddress(address, port), backlog);
            return socket;
        }
    }

    /** Takes exactly the requests the server has received so far (each wait at most 5 s). */
    public static List<RecordedRequest> taken(MockWebServer server) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        int count = server.getRequestCount();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("request " + (i + 1) + " of " + count + " not recorded within 5 s");
            }
            requests.add(request);
        }
        return requests;
    }
}
