package io.medseg.io.dicomweb;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A {@code dicomweb://HOST:PORT/PATH[/studies/STUDY[/series/SERIES]]} address (or
 * {@code dicomwebs://} for HTTPS): the service root it names, and the study and series when given.
 * Credentials in the address are refused: they would show in process lists and shell histories.
 *
 * @param root the service's HTTP(S) root, without a trailing slash, e.g. http://pacs:8042/dicom-web
 * @param study Study Instance UID, or null
 * @param series Series Instance UID, or null (never without a study)
 */
public record DicomWebAddress(URI root, String study, String series) {
    /** Whether {@code text} is a DICOMweb address rather than a file name. */
    public static boolean looksLikeOne(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.startsWith("dicomweb://") || t.startsWith("dicomwebs://");
    }

    /**
     * @throws IllegalArgumentException naming the address and what is wrong with it
     */
    public static DicomWebAddress parse(String text) {
        if (!looksLikeOne(text)) {
            throw new IllegalArgumentException(text + ": not a DICOMweb address (dicomweb://HOST:PORT/PATH"
                    + "[/studies/STUDY_UID[/series/SERIES_UID]])");
        }
        boolean secure = text.toLowerCase(Locale.ROOT).startsWith("dicomwebs://");
        String rest = text.substring(text.indexOf("://") + 3);
        URI uri;
        try {
            uri = new URI((secure ? "https://" : "http://") + rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(text + ": not a valid address (" + e.getReason() + ")");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("dicomweb://" + uri.getHost() + ":" + uri.getPort() + "/…: credentials in the"
                    + " address would show in process lists; give them in MEDSEG_DICOMWEB_CREDENTIALS or a file named by"
                    + " --credentials");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(text + ": no host");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(text + ": a DICOMweb address has no query or fragment");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        String study = null;
        String series = null;
        int at = path.indexOf("/studies");
        if (at >= 0 && (path.length() == at + 8 || path.charAt(at + 8) == '/')) {
            String[] parts = path.substring(at + 1).split("/");
            // studies / STUDY [/ series / SERIES]
            if (parts.length == 2 || parts.length == 4 && parts[2].equals("series")) {
                study = uid(text, parts[1]);
                series = parts.length == 4 ? uid(text, parts[3]) : null;
            } else {
                throw new IllegalArgumentException(text + ": expected …/studies/STUDY_UID or …/studies/STUDY_UID/series/"
                        + "SERIES_UID after the service root");
            }
            path = path.substring(0, at);
        }
        URI root = URI.create((secure ? "https://" : "http://") + uri.getRawAuthority() + path);
        return new DicomWebAddress(root, study, series);
    }

    private static String uid(String text, String uid) {
        if (!uid.matches("[0-9]+(\\.[0-9]+)*") || uid.length() > 64) {
            throw new IllegalArgumentException(text + ": '" + uid + "' is not a DICOM UID (digits and dots, up to 64)");
        }
        return uid;
    }

    /** The address as the user would type it, without credentials (they are never in it). */
    @Override
    public String toString() {
        String scheme = root.getScheme().equals("https") ? "dicomwebs://" : "dicomweb://";
        return scheme + root.getRawAuthority() + root.getRawPath() + (study == null ? "" : "/studies/" + study)
                + (series == null ? "" : "/series/" + series);
    }
}
