package io.medseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.medseg.io.GoldenValues;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Patient names in pydicom's character-set test files decode as pydicom decodes them (make_dicom_fixtures.py). */
class CharacterSetsTest {
    static final Path DIR = Path.of("src/test/resources/dicom/charsets");

    static Stream<String> files() throws Exception {
        return names().keySet().stream();
    }

    static JsonObject names() throws Exception {
        return GoldenValues.load(DIR.resolve("patient_names.json"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void patientNameMatchesPydicom(String file) throws Exception {
        DicomFile f = DicomParser.parse(DIR.resolve(file));
        assertEquals(names().get(file).getAsString(), f.dataset().string(Tags.PATIENT_NAME));
    }
}
