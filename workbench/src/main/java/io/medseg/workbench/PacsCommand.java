package io.medseg.workbench;

import com.google.gson.JsonObject;
import io.medseg.io.dicomweb.DicomWebAddress;
import io.medseg.io.dicomweb.DicomWebClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code medseg pacs}: what a DICOMweb server holds. */
@Command(name = "pacs", mixinStandardHelpOptions = true, description = "Look at a PACS over DICOMweb.",
        subcommands = PacsCommand.ListCommand.class)
final class PacsCommand {

    /** {@code medseg pacs list dicomweb://…}: studies and their series, with descriptions. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the studies on a DICOMweb server "
            + "(QIDO-RS) with their series: number, modality, instances, description and UID; the address of a study "
            + "lists that study only. Credentials from MEDSEG_DICOMWEB_CREDENTIALS or --credentials FILE.")
    static final class ListCommand implements Callable<Integer> {
        @Parameters(paramLabel = "dicomweb://HOST:PORT/PATH[/studies/STUDY_UID]", description = "the server's DICOMweb "
                + "root, or a study on it")
        String address;
        @Mixin
        DicomWebOptions dicomWeb;

        @Override
        public Integer call() throws Exception {
            DicomWebAddress a = DicomWebAddress.parse(address);
            DicomWebClient client = dicomWeb.client(address);
            List<JsonObject> studies = client.studies();
            int shown = 0;
            int series = 0;
            for (JsonObject study : studies) {
                String uid = DicomWebClient.value(study, DicomWebClient.STUDY_INSTANCE_UID);
                if (a.study() != null && !a.study().equals(uid)) {
                    continue;
                }
                shown++;
                System.out.println("study " + uid + "  " + DicomWebClient.value(study, DicomWebClient.STUDY_DATE) + "  "
                        + DicomWebClient.value(study, DicomWebClient.PATIENT_NAME) + " ("
                        + DicomWebClient.value(study, DicomWebClient.PATIENT_ID) + ")  "
                        + DicomWebClient.value(study, DicomWebClient.STUDY_DESCRIPTION));
                for (JsonObject s : client.series(uid)) {
                    series++;
                    System.out.printf("  series %-4s %-4s %5s instance(s)  %-40s %s%n",
                            DicomWebClient.value(s, DicomWebClient.SERIES_NUMBER),
                            DicomWebClient.value(s, DicomWebClient.MODALITY),
                            DicomWebClient.value(s, DicomWebClient.NUMBER_OF_SERIES_INSTANCES),
                            DicomWebClient.value(s, DicomWebClient.SERIES_DESCRIPTION),
                            DicomWebClient.value(s, DicomWebClient.SERIES_INSTANCE_UID));
                }
            }
            if (a.study() != null && shown == 0) {
                throw new IllegalArgumentException(a + ": the server has no such study");
            }
            System.out.println(shown + " stud" + (shown == 1 ? "y" : "ies") + ", " + series + " series on "
                    + client.address());
            return 0;
        }
    }
}
