/** Writing files so that a reader never sees a half-written one: temporary name, then rename. */
package io.medseg.files;
