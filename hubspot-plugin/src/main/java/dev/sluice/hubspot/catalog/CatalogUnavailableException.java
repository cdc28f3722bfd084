package dev.sluice.hubspot.catalog;

import dev.sluice.api.DestinationException;

/**
 * No catalog has been read yet and reading it failed: nothing can be mapped. Unchecked, so that the
 * adapter's {@code deliver} fails and the host retries the whole batch.
 */
public final class CatalogUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public CatalogUnavailableException(DestinationException cause) {
        super(cause.getMessage(), cause);
    }
}
