// A small Neo4j Community server for development, tests and CI: the embedded database with its
// Bolt connector switched on, listening on loopback only. Launched by scripts/neo4jctl.py.
//
//   java --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
//        --add-opens=java.base/java.io=ALL-UNNAMED -cp 'LIB/*' Server.java \
//        --home DIR --port N [--password P | --password-env VAR] [--ignore-stdin] [--allow-file-urls]
//
// Prints "READY bolt://127.0.0.1:N" once Bolt accepts connections. Stops cleanly on SIGTERM/SIGINT
// and, unless --ignore-stdin is given, when stdin closes (so a crashed parent leaves no server).
// LOAD CSV may not read file:/// URLs unless --allow-file-urls is given, and then only under
// HOME/import (Neo4j's embedded default would be any file the JVM can read, /etc/passwd included).

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

public final class Server {
    private static final String LOOPBACK = "127.0.0.1";

    private Server() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = -1;
        String password = null;
        boolean watchStdin = true;
        boolean allowFileUrls = false;
        long pageCacheMb = 64;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(value(args, ++i, "--home")).toAbsolutePath();
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--password" -> password = value(args, ++i, "--password");
                // Lets the launcher keep the password out of the process list.
                case "--password-env" -> password = fromEnv(value(args, ++i, "--password-env"));
                case "--ignore-stdin" -> watchStdin = false;
                case "--allow-file-urls" -> allowFileUrls = true;
                case "--page-cache-mb" -> pageCacheMb = parseMegabytes(value(args, ++i, "--page-cache-mb"));
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (home == null || port <= 0 || port > 65535) {
            usage("--home DIR and --port N (1-65535) are required");
        }
        if (password != null && password.isEmpty()) {
            usage("the password is empty");
        }

        DatabaseManagementService dbms;
        try {
            dbms = build(home, port, password != null, allowFileUrls, pageCacheMb);
        } catch (RuntimeException e) {
            // Neo4j threads may already run and would keep the JVM alive: exit explicitly.
            fail(e);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        try {
            if (password != null) {
                // The embedded API runs with full rights, so this sets the password without the
                // "change at first login" step that neo4j/neo4j would otherwise force on clients.
                GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
                try {
                    system.executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
                } catch (RuntimeException e) {
                    // A restart of an existing home with its own password: nothing to change.
                    if (!isSamePassword(e)) {
                        throw e;
                    }
                }
            }
            // Fail here, not in the client, if the default database did not come up.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            fail(e); // the hook shuts the DBMS down
        }

        System.out.println("READY bolt://" + LOOPBACK + ":" + port);
        System.out.flush();

        if (watchStdin) {
            Thread watcher = new Thread(Server::exitOnStdinClose, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        // Park the main thread; exit happens through System.exit / signals and the shutdown hook.
        Thread.currentThread().join();
    }

    private static DatabaseManagementService build(
            Path home, int port, boolean auth, boolean allowFileUrls, long pageCacheMb) {
        return new DatabaseManagementServiceBuilder(home)
                // LOAD CSV FROM 'file:///...': off unless asked for, and then confined to HOME/import.
                .setConfig(GraphDatabaseSettings.allow_file_urls, allowFileUrls)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(LOOPBACK))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(LOOPBACK))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(LOOPBACK, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                // No lock-out after failed logins: tests try wrong passwords on purpose.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Small and quick by default: two servers side by side on a small CI machine.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.preallocate_store_files, false)
                .setConfig(GraphDatabaseSettings.pagecache_warmup_enabled, false)
                // Bolt waits 5 s twice on shutdown by default; a dev server has nothing to drain.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .build();
    }

    private static boolean isSamePassword(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && message.contains("Old password and new password cannot be the same")) {
                return true;
            }
        }
        return false;
    }

    private static void exitOnStdinClose() {
        InputStream in = System.in;
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // Input is ignored; only end-of-file matters.
            }
        } catch (IOException ignored) {
            // A broken stdin counts as closed.
        }
        System.exit(0);
    }

    private static void fail(Throwable e) {
        System.err.println("ERROR: " + e);
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            System.err.println("  caused by: " + cause);
        }
        System.exit(1);
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            usage("--port needs a number, got " + text);
            return -1;
        }
    }

    private static long parseMegabytes(String text) {
        try {
            long megabytes = Long.parseLong(text);
            if (megabytes > 0) {
                return megabytes;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        usage("--page-cache-mb needs a positive number of MiB, got " + text);
        return -1;
    }

    private static String fromEnv(String name) {
        String password = System.getenv(name);
        if (password == null) {
            usage("environment variable " + name + " (from --password-env) is not set");
        }
        return password;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(String message) {
        System.err.println("ERROR: " + message);
        System.err.println(
                "usage: Server --home DIR --port N [--password P | --password-env VAR] [--ignore-stdin]"
                        + " [--allow-file-urls] [--page-cache-mb N]");
        System.exit(2);
    }
}
