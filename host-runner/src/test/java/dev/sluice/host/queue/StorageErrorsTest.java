package dev.sluice.host.queue;

import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class StorageErrorsTest {

    private static final Path DB = Path.of("/srv/sluice/data/queue.db");
    private static final Path CONFIG = Path.of("/etc/sluice/sluice.yaml");

    @Test
    void aFullDiskSaysSoEvenWhenSqliteSaysShmSize() {
        SQLiteException shm = new SQLiteException("[SQLITE_IOERR_SHMSIZE] I/O error within xShmMap",
                SQLiteErrorCode.SQLITE_IOERR_SHMSIZE);
        assertThat(StorageErrors.kind(shm)).isEqualTo(StorageErrors.Kind.DISK_FULL);
        assertThat(StorageErrors.cannotOpen(new SQLException("wrapped", shm), DB, CONFIG))
                .startsWith("the disk holding /srv/sluice/data/queue.db is full ([SQLITE_IOERR_SHMSIZE] I/O error "
                        + "within xShmMap). Free space on that disk");
    }

    @Test
    void aDamagedFileNamesTheFileAndTheRecoveryCommand() {
        SQLiteException corrupt = new SQLiteException("[SQLITE_CORRUPT] The database disk image is malformed "
                + "(database disk image is malformed)", SQLiteErrorCode.SQLITE_CORRUPT);
        assertThat(StorageErrors.cannotOpen(corrupt, DB, CONFIG))
                .startsWith("the queue database /srv/sluice/data/queue.db is damaged ([SQLITE_CORRUPT]")
                .contains("Sluice will not use a damaged queue database")
                .contains("'sluice queue recover --config /etc/sluice/sluice.yaml' (host stopped)");
        assertThat(StorageErrors.kind(new SQLiteException("[SQLITE_NOTADB] file is not a database",
                SQLiteErrorCode.SQLITE_NOTADB))).isEqualTo(StorageErrors.Kind.CORRUPT);
    }

    @Test
    void readOnlyAndGoneFilesAreToldApart() {
        assertThat(StorageErrors.describe(new SQLiteException("[SQLITE_READONLY] attempt to write a readonly database",
                SQLiteErrorCode.SQLITE_READONLY), DB)).startsWith("/srv/sluice/data/queue.db cannot be written");
        assertThat(StorageErrors.describe(new SQLiteException("[SQLITE_CANTOPEN] unable to open database file",
                SQLiteErrorCode.SQLITE_CANTOPEN), DB)).startsWith("/srv/sluice/data/queue.db or its folder was removed");
        assertThat(StorageErrors.describe(new IllegalStateException("boom"), DB))
                .isEqualTo("cannot use /srv/sluice/data/queue.db (boom)");
    }
}
