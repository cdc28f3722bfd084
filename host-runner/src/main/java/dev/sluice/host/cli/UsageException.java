package dev.sluice.host.cli;

/** The command line is wrong: exit code 2 with the message and a hint to {@code sluice --help}. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
