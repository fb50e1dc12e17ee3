package io.medseg.io.dicom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the readers with Jazzer. In a normal test run each method runs once
 * per committed input under {@code src/test/resources/io/medseg/io/dicom/ReaderFuzzTestInputs/}
 * (seed files from pydicom, nibabel, dcmtk/GDCM and our own, and every input a fuzzing run found);
 * with {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} (io-dicom's pom runs each for a short
 * while in {@code mvn verify}; scripts/fuzz-readers.sh runs longer). A finding is written next to
 * the seeds as {@code crash-…} and from then on is a regression test.
 */
class ReaderFuzzTest {

    @FuzzTest(maxDuration = "40s")
    void fileReaders(byte[] data) throws Exception {
        ReaderFuzzing.fileReaders(data);
    }

    @FuzzTest(maxDuration = "20s")
    void seriesAssembly(FuzzedDataProvider data) throws Exception {
        ReaderFuzzing.seriesAssembly(data);
    }
}
