package io.medseg.io.dicom;

import java.nio.ByteOrder;
import java.util.Locale;

/** The transfer syntaxes this reader knows, with how their data set and pixels are encoded. */
enum TransferSyntax {
    IMPLICIT_LE("1.2.840.10008.1.2", false, ByteOrder.LITTLE_ENDIAN, Pixels.NATIVE),
    EXPLICIT_LE("1.2.840.10008.1.2.1", true, ByteOrder.LITTLE_ENDIAN, Pixels.NATIVE),
    DEFLATED_LE("1.2.840.10008.1.2.1.99", true, ByteOrder.LITTLE_ENDIAN, Pixels.NATIVE),
    EXPLICIT_BE("1.2.840.10008.1.2.2", true, ByteOrder.BIG_ENDIAN, Pixels.NATIVE),
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", true, ByteOrder.LITTLE_ENDIAN, Pixels.JPEG),
    JPEG_EXTENDED("1.2.840.10008.1.2.4.51", true, ByteOrder.LITTLE_ENDIAN, Pixels.JPEG),
    JPEG_LOSSLESS_P14("1.2.840.10008.1.2.4.57", true, ByteOrder.LITTLE_ENDIAN, Pixels.JPEG_LOSSLESS),
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, ByteOrder.LITTLE_ENDIAN, Pixels.JPEG_LOSSLESS),
    JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, ByteOrder.LITTLE_ENDIAN, Pixels.UNSUPPORTED),
    JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", true, ByteOrder.LITTLE_ENDIAN, Pixels.UNSUPPORTED),
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, ByteOrder.LITTLE_ENDIAN, Pixels.JPEG_2000),
    JPEG_2000("1.2.840.10008.1.2.4.91", true, ByteOrder.LITTLE_ENDIAN, Pixels.JPEG_2000),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", true, ByteOrder.LITTLE_ENDIAN, Pixels.RLE);

    /** How the pixel data is encoded. */
    enum Pixels { NATIVE, RLE, JPEG, JPEG_LOSSLESS, JPEG_2000, UNSUPPORTED }

    final String uid;
    final boolean explicitVr;
    final ByteOrder order;
    final Pixels pixels;

    TransferSyntax(String uid, boolean explicitVr, ByteOrder order, Pixels pixels) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.order = order;
        this.pixels = pixels;
    }

    /** @return null for an unknown UID */
    static TransferSyntax of(String uid) {
        for (TransferSyntax t : values()) {
            if (t.uid.equals(uid)) {
                return t;
            }
        }
        return null;
    }

    String describe() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + uid + ")";
    }
}
