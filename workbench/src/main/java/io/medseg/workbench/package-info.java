/** The {@code medseg} command line: train, segment, evaluate, demo and bench, over the shared core API. */
package io.medseg.workbench;
