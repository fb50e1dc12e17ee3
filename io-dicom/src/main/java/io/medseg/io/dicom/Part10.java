package io.medseg.io.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A DICOM Part 10 file as bytes: the 128-byte preamble, "DICM", the file meta information (group 2,
 * with its group length) and the data set, in Explicit VR Little Endian.
 */
final class Part10 {
    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

    private Part10() {}

    /** The file of {@code dataset}, its text in {@code charset}. */
    static byte[] encode(String sopClassUid, String sopInstanceUid, WritableDataset dataset, Charset charset) {
        byte[] meta = new WritableDataset().raw(Tags.FILE_META_VERSION, "OB", new byte[] {0, 1})
                .text(Tags.MEDIA_STORAGE_SOP_CLASS_UID, "UI", sopClassUid)
                .text(Tags.MEDIA_STORAGE_SOP_INSTANCE_UID, "UI", sopInstanceUid)
                .text(Tags.TRANSFER_SYNTAX_UID, "UI", EXPLICIT_VR_LITTLE_ENDIAN)
                .text(Tags.IMPLEMENTATION_CLASS_UID, "UI", SegmentationWriter.IMPLEMENTATION_CLASS_UID)
                .text(Tags.IMPLEMENTATION_VERSION_NAME, "SH", "MEDSEG")
                .encode(StandardCharsets.US_ASCII);
        byte[] groupLength = new WritableDataset().unsignedLongs(Tags.FILE_META_GROUP_LENGTH, meta.length)
                .encode(StandardCharsets.US_ASCII);
        byte[] body = dataset.encode(charset);
        ByteArrayOutputStream out = new ByteArrayOutputStream(132 + groupLength.length + meta.length + body.length);
        out.writeBytes(new byte[128]);
        out.writeBytes(new byte[] {'D', 'I', 'C', 'M'});
        out.writeBytes(groupLength);
        out.writeBytes(meta);
        out.writeBytes(body);
        return out.toByteArray();
    }
}
