package io.medseg.io.dicom;

/**
 * A coded concept as DICOM writes it in a Code Sequence item: Code Value, Coding Scheme Designator
 * (e.g. SCT for SNOMED CT, DCM for DICOM's own) and Code Meaning.
 */
public record Code(String value, String scheme, String meaning) {
    public Code {
        if (value == null || value.isBlank() || value.length() > 16) {
            throw new IllegalArgumentException("code value '" + value + "' must have 1 to 16 characters");
        }
        if (scheme == null || scheme.isBlank() || scheme.length() > 16) {
            throw new IllegalArgumentException("coding scheme '" + scheme + "' of code " + value
                    + " must have 1 to 16 characters");
        }
        if (meaning == null || meaning.isBlank() || meaning.length() > 64) {
            throw new IllegalArgumentException("code meaning '" + meaning + "' of code " + value
                    + " must have 1 to 64 characters");
        }
    }

    WritableDataset item() {
        return new WritableDataset().text(Tags.CODE_VALUE, "SH", value).text(Tags.CODING_SCHEME_DESIGNATOR, "SH", scheme)
                .text(Tags.CODE_MEANING, "LO", meaning);
    }

    @Override
    public String toString() {
        return "(" + value + ", " + scheme + ", \"" + meaning + "\")";
    }
}
