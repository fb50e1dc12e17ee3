/**
 * DICOMweb (PS3.18) as a client: QIDO-RS to find studies, series and instances, WADO-RS to
 * retrieve instances, STOW-RS to store them; {@code dicomweb://} addresses; HTTP basic credentials
 * that are never printed.
 */
package io.medseg.io.dicomweb;
