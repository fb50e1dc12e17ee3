package io.medseg.io.dicomweb;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.medseg.io.ReadLimits;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A DICOMweb service: QIDO-RS searches (studies, series, instances), WADO-RS retrieval of one
 * instance at a time (each request bounded by the timeout, so a download that stalls fails instead
 * of hanging), STOW-RS storage. Every failure is a {@link DicomWebException} whose one line names the
 * request's address (never the credentials) and what went wrong: no connection, no answer in time,
 * an answer larger than one scan may be ({@link ReadLimits#maxScanBytes()}), 401, 404, another
 * status, an answer that is not what the standard says.
 */
public final class DicomWebClient {
    /** Attributes of QIDO-RS answers, as their tags in DICOM JSON. */
    public static final String STUDY_INSTANCE_UID = "0020000D";
    public static final String SERIES_INSTANCE_UID = "0020000E";
    public static final String SOP_INSTANCE_UID = "00080018";
    public static final String MODALITY = "00080060";
    public static final String MODALITIES_IN_STUDY = "00080061";
    public static final String SERIES_DESCRIPTION = "0008103E";
    public static final String STUDY_DESCRIPTION = "00081030";
    public static final String SERIES_NUMBER = "00200011";
    public static final String PATIENT_NAME = "00100010";
    public static final String PATIENT_ID = "00100020";
    public static final String STUDY_DATE = "00080020";
    public static final String NUMBER_OF_SERIES_INSTANCES = "00201209";
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String FAILURE_REASON = "00081197";

    private final URI root;
    private final Credentials credentials;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param root the service root (see {@link DicomWebAddress#root})
     * @param credentials HTTP basic credentials, or null
     * @param timeout how long one request may take, its answer included
     */
    public DicomWebClient(URI root, Credentials credentials, Duration timeout) {
        this.root = root;
        this.credentials = credentials;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout
                : Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI root() {
        return root;
    }

    /** The service as a dicomweb:// address, for messages. */
    public String address() {
        return where("");
    }

    /** QIDO-RS: every study, newest first as the server orders them. */
    public List<JsonObject> studies() throws IOException {
        return search("/studies?includefield=" + STUDY_DESCRIPTION + "&includefield=" + MODALITIES_IN_STUDY);
    }

    /** QIDO-RS: the series of a study. */
    public List<JsonObject> series(String study) throws IOException {
        return search("/studies/" + study + "/series?includefield=" + SERIES_DESCRIPTION + "&includefield="
                + NUMBER_OF_SERIES_INSTANCES);
    }

    /** QIDO-RS: the instances of a series. */
    public List<JsonObject> instances(String study, String series) throws IOException {
        return search("/studies/" + study + "/series/" + series + "/instances");
    }

    /** Whether the server holds this instance (QIDO-RS on its SOP Instance UID). */
    public boolean holds(String study, String series, String instance) throws IOException {
        return !search("/studies/" + study + "/series/" + series + "/instances?" + SOP_INSTANCE_UID + "=" + instance)
                .isEmpty();
    }

    private List<JsonObject> search(String path) throws IOException {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(root + path)).GET()
                .header("Accept", "application/dicom+json"), path);
        if (r.statusCode() == 204 || r.body().length == 0) {
            return List.of();
        }
        try {
            JsonArray a = JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonArray();
            List<JsonObject> out = new ArrayList<>();
            a.forEach(e -> out.add(e.getAsJsonObject()));
            return out;
        } catch (JsonParseException | IllegalStateException e) {
            throw new DicomWebException(where(path) + ": the answer is not a DICOM JSON array (" + e.getMessage() + ")",
                    r.statusCode());
        }
    }

    /** WADO-RS: one instance as a Part 10 file's bytes. */
    public byte[] retrieve(String study, String series, String instance) throws IOException {
        String path = "/studies/" + study + "/series/" + series + "/instances/" + instance;
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(root + path)).GET()
                .header("Accept", "multipart/related; type=\"application/dicom\""), path);
        String type = r.headers().firstValue("Content-Type").orElse("");
        String boundary = Multipart.boundary(type);
        if (boundary == null) {
            throw new DicomWebException(where(path) + ": the answer is " + type + ", not multipart/related with a"
                    + " boundary", r.statusCode());
        }
        List<byte[]> parts;
        try {
            parts = Multipart.parts(r.body(), boundary);
        } catch (IllegalArgumentException e) {
            throw new DicomWebException(where(path) + ": " + e.getMessage(), r.statusCode());
        }
        if (parts.size() != 1) {
            throw new DicomWebException(where(path) + ": " + parts.size() + " parts for one instance", r.statusCode());
        }
        return parts.get(0);
    }

    /**
     * STOW-RS: stores Part 10 files in one request.
     *
     * @throws DicomWebException when the server refuses the request or any of the instances
     */
    public void store(List<byte[]> files) throws IOException {
        String boundary = "medseg-" + UUID.randomUUID();
        String path = "/studies";
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(root + path))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Multipart.of(files, boundary))), path);
        if (r.body().length > 0) {
            try {
                JsonElement e = JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8));
                JsonObject o = e.isJsonObject() ? e.getAsJsonObject() : null;
                if (o != null && o.has(FAILED_SOP_SEQUENCE) && o.getAsJsonObject(FAILED_SOP_SEQUENCE).has("Value")) {
                    JsonArray failed = o.getAsJsonObject(FAILED_SOP_SEQUENCE).getAsJsonArray("Value");
                    String reason = failed.size() == 0 ? "" : " (failure reason " + value(failed.get(0).getAsJsonObject(),
                            FAILURE_REASON) + ")";
                    throw new DicomWebException(where(path) + ": the server refused " + failed.size() + " of "
                            + files.size() + " instance(s)" + reason, r.statusCode());
                }
            } catch (JsonParseException ignored) {
                // a server may answer STOW-RS in XML or not at all; the status said success
            }
        }
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String path) throws IOException {
        if (credentials != null) {
            request.header("Authorization", credentials.header());
        }
        request.timeout(timeout);
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request.build(),
                BoundedBody.handler(ReadLimits.maxScanBytes()));
        HttpResponse<byte[]> r;
        try {
            // the whole answer within the timeout: the request's own timeout ends at the headers
            r = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DicomWebException(where(path) + ": no complete answer within " + timeout.toSeconds() + " s"
                    + " (the server stalled; a larger --timeout may help)", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DicomWebException(where(path) + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String why = c instanceof BoundedBody.TooLarge ? c.getMessage() + " (" + ReadLimits.MAX_SCAN_BYTES
                    + " or MEDSEG_MAX_SCAN_BYTES raise it)"
                    : c instanceof HttpConnectTimeoutException ? "no connection within the timeout"
                    : c instanceof ConnectException ? "cannot connect (is the server running, and is this its port?)"
                    : c instanceof java.net.http.HttpTimeoutException ? "no answer within " + timeout.toSeconds() + " s"
                    : c instanceof IOException ? "connection failed (" + c.getMessage() + ")"
                    : "request failed (" + c + ")";
            throw new DicomWebException(where(path) + ": " + why, c);
        }
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return r;
        }
        String why = switch (status) {
            case 401 -> credentials == null ? "401 unauthorized: the server wants credentials (MEDSEG_DICOMWEB_CREDENTIALS"
                    + " or --credentials FILE)" : "401 unauthorized: the server refused the credentials of " + credentials;
            case 403 -> "403 forbidden" + (credentials == null ? "" : " for " + credentials);
            case 404 -> "404 not found" + (path.contains("/studies/") ? " (no such study, series or instance here)"
                    : " (is this the DICOMweb root?)");
            default -> status + " " + snippet(r.body());
        };
        throw new DicomWebException(where(path) + ": " + why, status);
    }

    private String where(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return (root.getScheme().equals("https") ? "dicomwebs://" : "dicomweb://") + root.getRawAuthority()
                + root.getRawPath() + p;
    }

    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return s.isEmpty() ? "" : "(" + s + ")";
    }

    /** The first value of a DICOM JSON attribute as text (a person name's alphabetic group), or "". */
    public static String value(JsonObject o, String tag) {
        if (o == null || !o.has(tag) || !o.get(tag).isJsonObject()) {
            return "";
        }
        JsonObject a = o.getAsJsonObject(tag);
        if (!a.has("Value") || a.getAsJsonArray("Value").isEmpty()) {
            return "";
        }
        JsonElement v = a.getAsJsonArray("Value").get(0);
        if (v.isJsonObject()) {
            return v.getAsJsonObject().has("Alphabetic") ? v.getAsJsonObject().get("Alphabetic").getAsString() : "";
        }
        return v.isJsonNull() ? "" : v.getAsString();
    }
}
