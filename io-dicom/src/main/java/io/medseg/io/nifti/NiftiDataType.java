package io.medseg.io.nifti;

/** The NIfTI {@code datatype} codes read here, with their size in bytes. */
enum NiftiDataType {
    UINT8(2, 1), INT16(4, 2), INT32(8, 4), FLOAT32(16, 4), FLOAT64(64, 8), INT8(256, 1), UINT16(512, 2),
    UINT32(768, 4), INT64(1024, 8), UINT64(1280, 8);

    final int code;
    final int bytes;

    NiftiDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** @return null for codes not read here (complex, RGB, …) */
    static NiftiDataType of(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
