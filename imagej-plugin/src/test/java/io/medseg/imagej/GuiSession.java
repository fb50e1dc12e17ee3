package io.medseg.imagej;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.ImageWindow;
import ij.gui.Roi;
import ij.gui.StackWindow;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;
import ij.text.TextWindow;
import io.medseg.io.dicom.DicomSeries;
import io.medseg.io.dicom.SegmentationReader;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Frame;
import java.awt.Menu;
import java.awt.MenuBar;
import java.awt.MenuItem;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

/**
 * A session in a real ImageJ with a display (Xvfb), driven like a user: the menu opened with the
 * mouse and the keyboard, Open Scan → Segment Image → Evaluate Segmentation run through ImageJ's
 * command table, Save Mask proposing a DICOM SEG for a DICOM series, screenshots of the menu, the
 * overlay, the results table and that dialog, and Segment Image
 * recorded by the macro recorder and replayed. Run by {@code scripts/imagej-gui-test.sh}; writes
 * its screenshots and {@code session.txt} into the folder given, exits 1 on the first failure.
 */
public final class GuiSession {
    static final String MENU = "Segmentation Workbench";
    static final Map<String, String> COMMANDS = Map.of("Open Scan...", OpenScanPlugin.class.getName(),
            "Segment Image...", SegmentImagePlugin.class.getName(),
            "Evaluate Segmentation...", EvaluateSegmentationPlugin.class.getName(),
            "Save Mask...", SaveMaskPlugin.class.getName(), "Train Model...", TrainModelPlugin.class.getName(),
            "Fine-tune Model...", FineTuneModelPlugin.class.getName(),
            "Import nnU-Net Model...", ImportNnUNetModelPlugin.class.getName());

    private final Path out;
    private final Path data;
    private final Robot robot;
    private final List<String> lines = new ArrayList<>();

    private GuiSession(Path out, Path data) throws Exception {
        this.out = out;
        this.data = data;
        this.robot = new Robot();
        robot.setAutoDelay(40);
    }

    public static void main(String[] args) throws Exception {
        GuiSession s = new GuiSession(Path.of(args[0]), Path.of(args[1]));
        int code = 0;
        try {
            s.run();
        } catch (Throwable e) {
            s.lines.add("FAILED: " + e);
            code = 1;
        } finally {
            Files.write(s.out.resolve("session.txt"), s.lines, StandardCharsets.UTF_8);
        }
        System.exit(code);
    }

    private void run() throws Exception {
        ImageJ ij = new ImageJ();
        ij.setLocation(0, 0);
        waitFor(ij::isShowing, "ImageJ window");
        robot.delay(1500);
        for (Map.Entry<String, String> e : COMMANDS.entrySet()) {
            Object cls = Menus.getCommands().get(e.getKey());
            check(e.getValue().equals(cls), "menu entry " + e.getKey() + " -> " + cls);
        }
        Point entry = openWorkbenchMenu(ij);
        int rowHeight = ij.getFontMetrics(new Font("Dialog", Font.PLAIN, 12)).getHeight() + 4;
        glide(entry.x, entry.y, entry.x + 300, entry.y);
        glide(entry.x + 300, entry.y, entry.x + 300, entry.y + rowHeight);
        robot.delay(600);
        shoot("imagej-menu.png", new Rectangle(0, 0, 900, 300));
        glide(entry.x + 300, entry.y + rowHeight, entry.x + 300, entry.y + 400); // off the menus: releasing picks nothing
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        if (Boolean.getBoolean("gui.menuOnly")) {
            return;
        }
        closeMenus();

        Path ct = data.resolve("Dataset002_AbdomenCT");
        IJ.run("Open Scan...", "scan=" + ct.resolve("imagesTs/ct_004_0000.nii.gz") + " window=abdomen");
        ImagePlus scan = waitForImage("ct_004_0000");
        RoiManager rm = RoiManager.getRoiManager();
        Roi mine = new Roi(5, 5, 10, 10);
        mine.setName("mine");
        rm.addRoi(mine);
        place(rm, 1140, 100);
        IJ.run("Segment Image...", "image=ct_004_0000 model=abdomen-ct-unet3d outlines add measurements device=cpu");
        ImagePlus labels = waitForImage("ct_004_0000-labels");
        check(rm.getCount() == 1 + scan.getOverlay().size() && "mine".equals(rm.getRoi(0).getName()),
                "the ROI Manager keeps the user's ROI and gets the " + scan.getOverlay().size() + " outlines: " + rm.getCount());
        check(scan.getOverlay() != null && scan.getOverlay().size() > 0, "outlines on the scan: "
                + (scan.getOverlay() == null ? 0 : scan.getOverlay().size()));
        check(ScanDisplay.zoomOf(scan) == 400, "the 128×128 scan opened at 400 %: " + ScanDisplay.zoomOf(scan));
        check(ScanDisplay.zoomOf(labels) == ScanDisplay.zoomOf(scan), "the label image at the scan's zoom: "
                + ScanDisplay.zoomOf(labels));
        check(labels.getCurrentSlice() == scan.getCurrentSlice(), "the label image opened at the scan's slice "
                + scan.getCurrentSlice() + ": " + labels.getCurrentSlice());
        check(labels.getOverlay() != null && labels.getOverlay().size() == 2, "a legend of two labels on the label image");
        int slice = sliceWithBoth(labels);
        EventQueue.invokeAndWait(() -> ((StackWindow) scan.getWindow()).showSlice(slice)); // as the slider does
        robot.delay(500);
        check(labels.getCurrentSlice() == slice, "the label image follows the scan to slice " + slice + ": "
                + labels.getCurrentSlice());
        zoom(scan, 1, 0, 100);
        zoom(labels, 1, 560, 100);
        Window measurements = waitForWindow("ct_004_0000-measurements");
        place(measurements, 0, 680);
        measurements.setSize(560, 140);
        robot.delay(1500);
        shoot("imagej-overlay.png", new Rectangle(0, 100, 1130, 720));

        IJ.run("Open Scan...", "scan=" + ct.resolve("labelsTs/ct_004.nii.gz") + " window=[full range]");
        waitForImage("ct_004");
        IJ.run("Evaluate Segmentation...", "compare=[two open images] reference=ct_004 prediction=ct_004_0000-labels "
                + "scan=ct_004_0000 error");
        ImagePlus errors = waitForImage("ct_004_0000-labels-errors");
        errors.setSlice(slice);
        Window table = waitForWindow(EvaluateSegmentationPlugin.TABLE);
        zoom(errors, 4, 0, 100);
        place(table, 0, 680);
        table.setSize(840, 130);
        robot.delay(1500);
        shoot("imagej-evaluation.png", new Rectangle(0, 100, 860, 720));
        lines.add("evaluation table:\n" + ((TextWindow) table).getResultsTable().toString());

        importAndSegmentWithAnNnUNetModel();
        saveMaskAsDicomSeg();
        recordAndReplay(ij, data.resolve("Dataset001_ToothRoot/imagesTs/case_024_0000.png"));
        lines.add("OK");
    }

    /**
     * Import nnU-Net Model's dialog shown and cancelled, then the fixture script's 3D PlainConvUNet
     * (trained by nnU-Net's own code) imported and its bundle run by Segment Image on a test scan.
     */
    private void importAndSegmentWithAnNnUNetModel() throws Exception {
        closeAllImages();
        Path fixtures = Path.of(System.getProperty("medseg.home"), "nnunet-import", "src", "test", "resources", "nnunet",
                "fixtures");
        IJ.doCommand("Import nnU-Net Model..."); // its own thread, as the menu runs it
        Window dialog = waitForWindow(ImportNnUNetModelPlugin.COMMAND);
        place(dialog, 0, 100);
        robot.delay(800);
        shoot("imagej-nnunet-import-dialog.png", dialog.getBounds());
        click(((GenericDialog) dialog).getButtons()[1]); // Cancel
        robot.delay(1000);
        Path bundle = out.resolve("nnunet-bundle");
        IJ.run("Import nnU-Net Model...", "nnu-net=" + fixtures.resolve("nnUNet_results/Dataset991_TinyCT/"
                + "nnUNetTrainer_Fixture__nnUNetPlansTiny__3d_fullres") + " bundle=" + bundle
                + " folds=0,1 checkpoint=final");
        check(Files.isRegularFile(bundle.resolve("model.json")), "Import nnU-Net Model wrote " + bundle);
        IJ.run("Open Scan...", "scan=" + fixtures.resolve("test_images/Dataset991_TinyCT/images/case_001_0000.nii.gz")
                + " window=abdomen");
        ImagePlus scan = waitForImage("case_001_0000");
        IJ.run("Segment Image...", "image=case_001_0000 model=[folder below] bundle=" + bundle + " outlines device=cpu");
        ImagePlus labels = waitForImage("case_001_0000-labels");
        check(scan.getOverlay() != null && scan.getOverlay().size() > 0, "outlines of the nnU-Net model's labels: "
                + (scan.getOverlay() == null ? 0 : scan.getOverlay().size()));
        int slice = sliceWithBoth(labels);
        EventQueue.invokeAndWait(() -> ((StackWindow) scan.getWindow()).showSlice(slice));
        zoom(scan, 1, 0, 100); // as the plugin opens them
        zoom(labels, 1, 560, 100);
        robot.delay(1500);
        shoot("imagej-nnunet-segment.png", new Rectangle(0, 100, 1130, 600));
        closeAllImages();
    }

    /**
     * A DICOM series opened, segmented and saved: Save Mask's dialog proposes a DICOM SEG
     * ({@code .seg.dcm}) for it (shown, then cancelled: its default folder is the series'), and the
     * SEG written through the same command holds the label image's segments.
     */
    private void saveMaskAsDicomSeg() throws Exception {
        closeAllImages();
        IJ.run("Open Scan...", "scan=" + data.resolve("AbdomenCT_DICOM/ct_003") + " window=abdomen");
        ImagePlus scan = WindowManager.getCurrentImage();
        check(scan != null, "the DICOM series opened");
        String title = scan.getTitle();
        IJ.run("Segment Image...", "image=[" + title + "] model=abdomen-ct-unet3d outlines device=cpu");
        ImagePlus labels = waitForImage(title + "-labels");
        IJ.selectWindow(labels.getID());
        waitFor(() -> WindowManager.getCurrentImage() == labels, "the label image active");
        IJ.doCommand("Save Mask..."); // its own thread, as the menu runs it
        Window dialog = waitForWindow(SaveMaskPlugin.COMMAND);
        place(dialog, 0, 100);
        robot.delay(800);
        String proposed = ((java.awt.TextField) ((GenericDialog) dialog).getStringFields().get(0)).getText();
        check(proposed.equals(data.resolve("AbdomenCT_DICOM/ct_003.seg.dcm").toAbsolutePath().normalize().toString()),
                "Save Mask proposes a DICOM SEG named after the series' folder, beside it: " + proposed);
        shoot("imagej-save-mask-seg.png", dialog.getBounds());
        click(((GenericDialog) dialog).getButtons()[1]); // Cancel
        robot.delay(1000);
        Path seg = out.resolve("ct_003.seg.dcm");
        IJ.run("Save Mask...", "labels=[" + title + "-labels] file=" + seg);
        check(Files.isRegularFile(seg), "Save Mask wrote " + seg);
        SegmentationReader.Segmentation read = SegmentationReader.read(seg,
                DicomSeries.scan(data.resolve("AbdomenCT_DICOM/ct_003")).series().get(0));
        check(read.segments().size() == 2 && read.segments().get(0).name().equals("liver"),
                "the SEG's segments: " + read.segments());
        lines.add("saved " + seg.getFileName() + ": " + read.segments().size() + " segments");
        closeAllImages();
    }

    /** Segment Image chosen from the menu with the recorder open, OK pressed; the recorded line replayed gives the same labels. */
    private void recordAndReplay(ImageJ ij, Path png) throws Exception {
        closeAllImages();
        IJ.run("Record...");
        Window recorder = waitForWindow("Recorder");
        place(recorder, 0, 600);
        IJ.run("Open Scan...", "scan=" + png + " window=[full range]");
        ImagePlus tooth = waitForImage("case_024_0000");
        place(tooth.getWindow(), 600, 110);
        WindowManager.setCurrentWindow(tooth.getWindow());
        robot.delay(500);
        chooseSegmentImage(ij);
        Window dialog = waitForWindow("Segment Image");
        place(dialog, 560, 100);
        robot.delay(800);
        shoot("imagej-segment-dialog.png", new Rectangle(540, 80, 740, 700));
        click(((GenericDialog) dialog).getButtons()[0]); // OK, with the dialog's defaults
        ImagePlus first = waitForImage("case_024_0000-labels");
        byte[] recordedPixels = ((byte[]) first.getProcessor().getPixels()).clone();
        // the recorder gets the line when the command returns, a moment after its label image appears
        String text = "";
        String line = null;
        for (int wait = 0; wait < 100 && line == null; wait++) {
            text = ((Recorder) recorder).getText();
            line = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("run(\"Segment Image...\""))
                    .findFirst().orElse(null);
            if (line == null) {
                robot.delay(100);
            }
        }
        check(line != null, "the recorder recorded Segment Image: " + text);
        check(!text.contains("run(\"Set... \""), "the label image's zoom is not recorded in the user's macro: " + text);
        lines.add("recorded: " + line);
        check(line.contains("model=tooth-root-unet2d"), "the dialog's default model fits the 2D image: " + line);
        first.changes = false;
        first.close();
        IJ.runMacro(line);
        ImagePlus replayed = waitForImage("case_024_0000-labels");
        check(Arrays.equals(recordedPixels, (byte[]) replayed.getProcessor().getPixels()),
                "the replayed macro gives the same labels");
        lines.add("replayed: same labels");

        // a cancelled dialog changes nothing
        int images = WindowManager.getImageCount();
        chooseSegmentImage(ij);
        Window again = waitForWindow("Segment Image");
        place(again, 560, 100);
        robot.delay(800);
        click(((GenericDialog) again).getButtons()[1]); // Cancel
        waitFor(() -> find("Segment Image") == null, "Cancel close the dialog");
        robot.delay(2000);
        check(WindowManager.getImageCount() == images, "Cancel adds no image");
    }

    /** Plugins > Segmentation Workbench > Segment Image... with the pointer. */
    private void chooseSegmentImage(ImageJ ij) throws Exception {
        Point entry = openWorkbenchMenu(ij);
        int row = ij.getFontMetrics(new Font("Dialog", Font.PLAIN, 12)).getHeight() + 4;
        // across to the submenu on the row, then down to its second entry
        glide(entry.x, entry.y, entry.x + 300, entry.y);
        glide(entry.x + 300, entry.y, entry.x + 300, entry.y + row);
        robot.delay(400);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
    }

    private void click(Component c) {
        Point at = c.getLocationOnScreen();
        Point centre = new Point(at.x + c.getWidth() / 2, at.y + c.getHeight() / 2);
        Dimension screen = Toolkit.getDefaultToolkit().getScreenSize();
        if (centre.x < 0 || centre.y < 0 || centre.x >= screen.width || centre.y >= screen.height) {
            throw new IllegalStateException(c.getClass().getSimpleName() + " " + c.getName() + " is off the "
                    + screen.width + "x" + screen.height + " screen at " + centre + " (a dialog grown too wide?)");
        }
        robot.mouseMove(centre.x, centre.y);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
    }

    /**
     * Opens Plugins > Segmentation Workbench as a user does: a click on Plugins, the pointer down to
     * the submenu. AWT's X11 menus: bar items are their text plus 10 px either side, 3 px in from the
     * left; menu rows are the font height plus 4 px, separators half a row (measured here on Xvfb).
     * Returns the screen point of the submenu's first row.
     */
    private Point openWorkbenchMenu(Frame frame) throws Exception {
        MenuBar bar = frame.getMenuBar();
        int plugins = -1;
        for (int i = 0; i < bar.getMenuCount(); i++) {
            if (bar.getMenu(i).getLabel().equals("Plugins")) {
                plugins = i;
            }
        }
        check(plugins >= 0, "ImageJ has a Plugins menu");
        FontMetrics fm = frame.getFontMetrics(bar.getFont() != null ? bar.getFont()
                : new Font("Dialog", Font.PLAIN, 12));
        // where the X server has the frame now (getX() can be stale under a bare Xvfb after ImageJ
        // re-places its window), brought to the front first
        // a no-op move is skipped by AWT, so two moves make the X server put the frame where Java thinks it is
        frame.setLocation(frame.getX() + 1, frame.getY());
        frame.setLocation(frame.getX() - 1, frame.getY());
        frame.toFront();
        robot.delay(500);
        Point at = frame.getLocationOnScreen();
        int x = at.x + frame.getInsets().left + 3;
        for (int i = 0; i < plugins; i++) {
            x += fm.stringWidth(bar.getMenu(i).getLabel()) + 20;
        }
        int menuX = x;
        x += fm.stringWidth("Plugins") / 2 + 10;
        int barBottom = at.y + frame.getInsets().top;
        // pressed on Plugins and held: the pointer drags through the menu, releasing picks an entry
        int barY = barBottom / 2 + at.y / 2;
        robot.mouseMove(x, barY);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.delay(700);
        Menu menu = bar.getMenu(plugins);
        int row = fm.getHeight() + 4;
        int y = barBottom + 2 + row / 2;
        int width = 0;
        boolean found = false;
        for (int i = 0; i < menu.getItemCount(); i++) {
            MenuItem item = menu.getItem(i);
            width = Math.max(width, fm.stringWidth(item.getLabel()));
            if (item.getLabel().equals("-")) {
                y += row / 2;
                continue;
            }
            if (item.getLabel().equals(MENU)) {
                found = true;
                break;
            }
            y += row;
        }
        check(found, "Plugins > " + MENU + " exists");
        lines.add("frame at " + at.x + "," + at.y + " (getX " + frame.getX() + "), menu bar at y " + barBottom + ", insets " + frame.getInsets() + ", font height " + fm.getHeight()
                + ", Plugins at x " + menuX + ", entry row at y " + y);
        glide(x, barY, menuX + 30, y); // onto the row: its submenu opens
        robot.delay(900);
        return new Point(menuX + 30, y);
    }

    /** Moves the pointer in small steps, as a hand does (menus follow motion, not jumps). */
    private void glide(int x0, int y0, int x1, int y1) {
        int steps = Math.max(1, Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) / 6);
        for (int i = 1; i <= steps; i++) {
            robot.mouseMove(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps);
            robot.delay(8);
        }
    }

    private void closeMenus() {
        key(KeyEvent.VK_ESCAPE);
        key(KeyEvent.VK_ESCAPE);
        robot.delay(300);
    }

    private void key(int code) {
        robot.keyPress(code);
        robot.keyRelease(code);
        robot.delay(120);
    }

    private void shoot(String name, Rectangle area) throws IOException {
        Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        ImageIO.write(robot.createScreenCapture(area.intersection(screen)), "png", out.resolve(name).toFile());
        lines.add("screenshot " + name);
    }

    /** Shows the image at {@code factor} times its size with its window at (x, y). */
    private void zoom(ImagePlus imp, int factor, int x, int y) throws Exception {
        EventQueue.invokeAndWait(() -> {
            ImageWindow w = imp.getWindow();
            w.setLocation(x, y);
            for (int i = 1; i < factor; i *= 2) {
                w.getCanvas().zoomIn(imp.getWidth() / 2, imp.getHeight() / 2);
            }
            w.toFront();
        });
        robot.delay(500);
    }

    /**
     * Moves a window and waits until it is there. Two moves, because AWT skips a move to where it
     * thinks the window already is (a dialog reopened at its last place), and under a bare Xvfb the
     * X server may have put it elsewhere; a click at a stale place misses its button.
     */
    private void place(Window w, int x, int y) throws Exception {
        if (w != null) {
            w.setLocation(x + 1, y);
            w.setLocation(x, y);
            w.toFront();
            waitFor(() -> w.isShowing() && w.getLocationOnScreen().equals(new Point(x, y)),
                    "the window " + title(w) + " at " + x + "," + y);
        }
    }

    private static String title(Window w) {
        return w instanceof Frame f ? f.getTitle() : w instanceof Dialog d ? d.getTitle() : w.getName();
    }

    /** The slice showing most of both labels 1 and 2: the largest smaller count of the two. */
    private static int sliceWithBoth(ImagePlus labels) {
        int best = 1;
        long bestScore = -1;
        for (int z = 1; z <= labels.getNSlices(); z++) {
            long one = 0;
            long two = 0;
            for (byte b : (byte[]) labels.getStack().getPixels(z)) {
                one += b == 1 ? 1 : 0;
                two += b == 2 ? 1 : 0;
            }
            long score = Math.min(one, two) * 1_000_000L + one + two;
            if (score > bestScore) {
                bestScore = score;
                best = z;
            }
        }
        return best;
    }

    private void closeAllImages() {
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus imp = WindowManager.getImage(id);
            imp.changes = false;
            imp.close();
        }
    }

    private ImagePlus waitForImage(String title) throws Exception {
        waitFor(() -> WindowManager.getImage(title) != null && WindowManager.getImage(title).getWindow() != null
                && WindowManager.getImage(title).getWindow().isShowing(), "image " + title);
        return WindowManager.getImage(title);
    }

    private Window waitForWindow(String title) throws Exception {
        waitFor(() -> find(title) != null, "window " + title);
        return find(title);
    }

    private static Window find(String title) {
        for (Window w : Window.getWindows()) {
            String t = w instanceof Frame f ? f.getTitle() : w instanceof Dialog d ? d.getTitle() : null;
            if (title.equals(t) && w.isShowing()) {
                return w;
            }
        }
        return null;
    }

    private void waitFor(BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                shoot("timeout.png", new Rectangle(Toolkit.getDefaultToolkit().getScreenSize()));
                throw new IllegalStateException("no " + what + " after 120 s");
            }
            Thread.sleep(100);
        }
        lines.add("saw " + what);
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
        lines.add("ok: " + what);
    }
}
