package io.medseg.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImageListener;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.TextRoi;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanDisplayTest {
    @Test
    void smallScansOpenAtTheLargestZoomThatFitsSixHundredPixels() {
        assertEquals(400, ScanDisplay.readableZoom(128, 128)); // 512 px; 600 % would be 768
        assertEquals(800, ScanDisplay.readableZoom(48, 32));
        assertEquals(200, ScanDisplay.readableZoom(256, 224)); // the radiographs: 512 × 448
        assertEquals(100, ScanDisplay.readableZoom(300, 120), "not small");
        assertEquals(100, ScanDisplay.readableZoom(512, 512));
    }

    @Test
    void theLabelImageFollowsItsScansSlice() {
        ImagePlus scan = stack("scan", false);
        ImagePlus labels = stack("scan-labels", true);
        scan.setSlice(4);
        ImageListener follower = ScanDisplay.followSlices(scan, labels);
        assertEquals(4, labels.getCurrentSlice(), "opens at the scan's slice");
        scan.setSlice(7);
        // ImageJ tells listeners of a slice change in a window (GuiSession checks that with the scan's slider)
        follower.imageUpdated(scan);
        assertEquals(7, labels.getCurrentSlice(), "and moves with it");
        follower.imageUpdated(labels);
        assertEquals(7, labels.getCurrentSlice(), "the label image's own changes do not move the scan's");
        assertNull(ScanDisplay.followSlices(scan, stack("other", true, 3)), "stacks of other depths are not tied");
    }

    @Test
    void theLegendNamesEveryLabelInItsColour() {
        ImagePlus labels = stack("scan-labels", true);
        ScanDisplay.legend(labels, Map.of(0, "background", 1, "liver", 2, "kidney"));
        Overlay overlay = labels.getOverlay();
        assertEquals(2, overlay.size());
        assertTrue(((TextRoi) overlay.get(0)).getText().startsWith("1 liver"), ((TextRoi) overlay.get(0)).getText());
        assertEquals("legend liver", overlay.get(0).getName());
        assertEquals(ScanImages.labelColour(1), overlay.get(0).getStrokeColor());
        assertEquals("legend kidney", overlay.get(1).getName());
        assertEquals(ScanImages.labelColour(2), overlay.get(1).getStrokeColor());
    }

    @Test
    void longTitlesAreCut() {
        assertEquals("ct_003", OpenScanPlugin.shortTitle("ct_003"));
        String dicom = "Phantom_Abdomen_20261201_S2_synthetic_abdominal_CT_ct_003_Dataset002_AbdomenCT";
        assertEquals("Phantom_Abdomen_20261201_S2_synthetic...", OpenScanPlugin.shortTitle(dicom));
        assertEquals(OpenScanPlugin.TITLE_LENGTH, OpenScanPlugin.shortTitle(dicom).length());
    }

    private static ImagePlus stack(String title, boolean bytes) {
        return stack(title, bytes, 9);
    }

    private static ImagePlus stack(String title, boolean bytes, int slices) {
        ImageStack s = new ImageStack(8, 6);
        for (int z = 0; z < slices; z++) {
            s.addSlice(bytes ? new ByteProcessor(8, 6) : new FloatProcessor(8, 6));
        }
        return new ImagePlus(title, s);
    }
}
