package io.medseg.io.dicom;

import java.nio.file.Path;

/** A parsed DICOM file: its data set, how it was encoded, and where it came from. */
public record DicomFile(Path path, TransferSyntax transferSyntax, DicomDataset dataset) {

    public String transferSyntaxUid() {
        return transferSyntax.uid;
    }
}
