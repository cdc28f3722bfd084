/**
 * Destination config declared as data ({@link dev.sluice.api.config.ConfigField}) and validated
 * into an immutable {@link dev.sluice.api.config.DestinationConfig} before any destination exists.
 * Validation reports every problem at once, each naming its field; secret values are held as
 * {@link dev.sluice.api.config.Secret} and never printed.
 */
package dev.sluice.api.config;
