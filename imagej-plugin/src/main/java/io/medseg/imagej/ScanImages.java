package io.medseg.imagej;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.util.DicomTools;
import io.medseg.image.Geometry;
import io.medseg.image.LabelMap;
import io.medseg.image.Volume;
import io.medseg.io.dicom.DicomSeries;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scans and label maps as ImageJ images and back, geometry intact.
 *
 * <p>ImageJ's calibration holds spacing and an origin, but no direction cosines, so the exact
 * {@link Geometry} travels with the image as a property ({@value #GEOMETRY}, JSON, kept when the
 * image is saved as TIFF); the calibration is filled in for ImageJ's own measurements. Voxels keep
 * the file's order (x = columns, y = rows, z = slices), so a mask made here lands on the scan.
 */
public final class ScanImages {
    /** Image property holding the exact geometry. */
    public static final String GEOMETRY = "medseg.geometry";
    /**
     * Image property holding the grid of the file a reoriented view was opened from (its size and
     * geometry, JSON), so a mask drawn on the view is saved on the file's own grid.
     */
    public static final String FILE_GRID = "medseg.fileGrid";
    /** Image property holding a label image's label names. */
    public static final String LABELS = "medseg.labels";
    /** Image property: the modality the scan's file stated (DICOM's Modality), compared with a model's training data. */
    public static final String MODALITY = "medseg.modality";
    /** ImageJ's DICOM reader keeps the header in the image's info; this is the Modality tag there. */
    private static final String DICOM_MODALITY_TAG = "0008,0060";
    private static final Gson GSON = new Gson();

    private ScanImages() {}

    /** A 32-bit image (a stack for 3D, channels as a hyperstack's channels) with calibration and geometry. */
    public static ImagePlus toImage(Volume v, String title) {
        long[] size = v.sizeXyz();
        int w = Math.toIntExact(size[0]);
        int h = Math.toIntExact(size[1]);
        int slices = size.length > 2 ? Math.toIntExact(size[2]) : 1;
        int plane = w * h;
        float[] data = v.data();
        ImageStack stack = new ImageStack(w, h);
        for (int z = 0; z < slices; z++) {
            for (int c = 0; c < v.channels(); c++) {
                float[] pixels = Arrays.copyOfRange(data, (c * slices + z) * plane, (c * slices + z + 1) * plane);
                stack.addSlice(null, new FloatProcessor(w, h, pixels));
            }
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(v.channels(), slices, 1);
        if (v.channels() > 1) {
            imp = new ij.CompositeImage(imp, ij.CompositeImage.GRAYSCALE);
        }
        setGeometry(imp, v.geometry());
        if (!v.modality().isEmpty()) {
            imp.setProp(MODALITY, v.modality());
        }
        imp.resetDisplayRange();
        return imp;
    }

    /** An 8-bit label image with a colour per label, the label names and the geometry. */
    public static ImagePlus toImage(LabelMap labels, String title) {
        long[] size = labels.sizeXyz();
        int w = Math.toIntExact(size[0]);
        int h = Math.toIntExact(size[1]);
        int slices = size.length > 2 ? Math.toIntExact(size[2]) : 1;
        int plane = w * h;
        ImageStack stack = new ImageStack(w, h);
        for (int z = 0; z < slices; z++) {
            byte[] pixels = Arrays.copyOfRange(labels.data(), z * plane, (z + 1) * plane);
            stack.addSlice(null, new ByteProcessor(w, h, pixels));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(1, slices, 1);
        setGeometry(imp, labels.geometry());
        imp.setProp(LABELS, GSON.toJson(new TreeMap<>(labels.labelNames())));
        imp.getProcessor().setLut(labelLut());
        imp.getStack().setColorModel(labelLut());
        imp.setDisplayRange(0, 255);
        return imp;
    }

    /**
     * The image as a scan: 8- and 16-bit values through the image's calibration function (e.g. CT
     * numbers in HU as ImageJ's DICOM reader sets them), channels of a hyperstack as channels.
     *
     * @throws PluginException for RGB images, time series, and images too large for one array
     */
    public static Volume toVolume(ImagePlus imp) {
        if (imp.getType() == ImagePlus.COLOR_RGB || imp.getType() == ImagePlus.COLOR_256) {
            throw new PluginException("\"" + imp.getTitle() + "\" is an RGB image; medseg's models take grey-value "
                    + "scans (Image > Type > 32-bit converts it)");
        }
        if (imp.getNFrames() > 1) {
            throw new PluginException("\"" + imp.getTitle() + "\" has " + imp.getNFrames() + " time frames; segment one "
                    + "frame (Image > Duplicate... a single frame)");
        }
        int w = imp.getWidth();
        int h = imp.getHeight();
        int slices = imp.getNSlices();
        int channels = imp.getNChannels();
        long total = (long) w * h * slices * channels;
        if (total > Integer.MAX_VALUE - 8) {
            throw new PluginException("\"" + imp.getTitle() + "\" has " + total + " voxels; medseg handles up to 2^31");
        }
        Geometry g = geometry(imp, slices);
        float[] data = new float[(int) total];
        int plane = w * h;
        Calibration cal = imp.getCalibration();
        boolean calibrated = cal.calibrated() && imp.getBitDepth() != 32;
        ImageStack stack = imp.getStack();
        for (int z = 0; z < slices; z++) {
            for (int c = 0; c < channels; c++) {
                ImageProcessor ip = stack.getProcessor(imp.getStackIndex(c + 1, z + 1, 1));
                int offset = (c * slices + z) * plane;
                for (int i = 0; i < plane; i++) {
                    float raw = ip.getf(i);
                    data[offset + i] = calibrated ? (float) cal.getCValue((double) raw) : raw;
                }
            }
        }
        return Volume.wrap(data, sizeOf(w, h, slices, g), channels, g).withModality(modality(imp));
    }

    /** The modality medseg's Open Scan recorded, else the one in a DICOM header ImageJ opened, else "". */
    static String modality(ImagePlus imp) {
        String recorded = imp.getProp(MODALITY);
        if (recorded != null) {
            return recorded;
        }
        String dicom = DicomTools.getTag(imp, DICOM_MODALITY_TAG);
        return dicom == null ? "" : dicom.trim();
    }

    /**
     * A label image as a label map; names from the image's property, else from {@code names}. A
     * 32-bit image (a mask opened as a scan) is accepted when it holds whole numbers 0–255.
     *
     * @throws PluginException when the image is RGB, has several channels, or holds other values
     */
    public static LabelMap toLabelMap(ImagePlus imp, Map<Integer, String> names) {
        if (imp.getType() == ImagePlus.COLOR_RGB || imp.getType() == ImagePlus.COLOR_256) {
            throw new PluginException("\"" + imp.getTitle() + "\" is not a label image (one grey value per label); it is"
                    + " an RGB image");
        }
        if (imp.getNChannels() > 1 || imp.getNFrames() > 1) {
            throw new PluginException("\"" + imp.getTitle() + "\" has several channels or frames; a label image has one");
        }
        int w = imp.getWidth();
        int h = imp.getHeight();
        int slices = imp.getNSlices();
        int plane = w * h;
        byte[] data = new byte[Math.multiplyExact(plane, slices)];
        ImageStack stack = imp.getStack();
        for (int z = 0; z < slices; z++) {
            ImageProcessor ip = stack.getProcessor(z + 1);
            for (int i = 0; i < plane; i++) {
                float v = ip.getf(i);
                if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
                    throw new PluginException("\"" + imp.getTitle() + "\" is not a label image: it holds " + v
                            + " (slice " + (z + 1) + "); labels are whole numbers 0-255");
                }
                data[z * plane + i] = (byte) (int) v;
            }
        }
        Geometry g = geometry(imp, slices);
        Map<Integer, String> labelNames = labelNames(imp);
        if (labelNames == null) {
            labelNames = names;
        }
        return LabelMap.wrap(data, sizeOf(w, h, slices, g), g, labelNames);
    }

    /** The names stored with a label image, or null. */
    public static Map<Integer, String> labelNames(ImagePlus imp) {
        String json = imp.getProp(LABELS);
        if (json == null) {
            return null;
        }
        try {
            JsonObject o = GSON.fromJson(json, JsonObject.class);
            Map<Integer, String> out = new LinkedHashMap<>();
            o.entrySet().forEach(e -> out.put(Integer.parseInt(e.getKey()), e.getValue().getAsString()));
            return out;
        } catch (RuntimeException e) {
            throw new PluginException("\"" + imp.getTitle() + "\" has an unreadable " + LABELS + " property: " + json);
        }
    }

    /**
     * The image's geometry: the stored one when it fits the image, else from ImageJ's calibration
     * (spacing and origin, axis-aligned). One slice is 2D unless the stored geometry is 3D.
     */
    public static Geometry geometry(ImagePlus imp, int slices) {
        Geometry stored = storedGeometry(imp);
        if (stored != null && (stored.numDimensions() == 3 || slices == 1)) {
            return stored;
        }
        Calibration cal = imp.getCalibration();
        boolean mm = "mm".equals(cal.getUnit()) || "millimeter".equalsIgnoreCase(cal.getUnit());
        double scale = mm ? 1 : "cm".equals(cal.getUnit()) ? 10 : "µm".equals(cal.getUnit())
                || "micron".equals(cal.getUnit()) ? 1e-3 : 1;
        double[] spacing = {cal.pixelWidth * scale, cal.pixelHeight * scale, cal.pixelDepth * scale};
        double[] origin = {-cal.xOrigin * spacing[0], -cal.yOrigin * spacing[1], -cal.zOrigin * spacing[2]};
        int n = slices > 1 ? 3 : 2;
        Geometry identity = Geometry.identity(n);
        return new Geometry(Arrays.copyOf(spacing, n), Arrays.copyOf(origin, n), identity.direction());
    }

    /** The geometry stored with the image, or null (none, or one that no longer fits its size). */
    static Geometry storedGeometry(ImagePlus imp) {
        String json = imp.getProp(GEOMETRY);
        if (json == null) {
            return null;
        }
        try {
            Geometry g = geometryOf(GSON.fromJson(json, JsonObject.class));
            boolean fits = g.numDimensions() == 2 ? imp.getNSlices() == 1 : g.numDimensions() == 3;
            return fits ? g : null;
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new PluginException("\"" + imp.getTitle() + "\" has an unreadable " + GEOMETRY + " property: " + json);
        }
    }

    /** Stores {@code g} with the image and sets ImageJ's calibration from it (mm, origin in pixels). */
    public static void setGeometry(ImagePlus imp, Geometry g) {
        imp.setProp(GEOMETRY, GSON.toJson(json(g)));
        Calibration cal = new Calibration(imp);
        cal.setUnit("mm");
        double[] s = g.spacingMm();
        double[] origin = g.originMm();
        cal.pixelWidth = s[0];
        cal.pixelHeight = s[1];
        cal.pixelDepth = s.length > 2 ? s[2] : 1;
        cal.xOrigin = -origin[0] / s[0];
        cal.yOrigin = -origin[1] / s[1];
        cal.zOrigin = s.length > 2 ? -origin[2] / s[2] : 0;
        imp.setCalibration(cal);
    }

    /** Image property: the files of the DICOM series a scan was opened from (JSON array of paths), for DICOM SEG. */
    public static final String DICOM_SERIES = "medseg.dicomSeries";

    /** Records the DICOM series {@code imp} was opened from. */
    static void setDicomSeries(ImagePlus imp, DicomSeries series) {
        imp.setProp(DICOM_SERIES, GSON.toJson(series.files().stream().map(p -> p.toAbsolutePath().toString()).toList()));
    }

    /**
     * The DICOM series {@code imp} (a scan or its label image) was opened from, read again from its
     * files; null when it was not opened from one.
     *
     * @throws PluginException when the files no longer hold that series
     */
    static DicomSeries dicomSeries(ImagePlus imp) {
        String json = imp.getProp(DICOM_SERIES);
        if (json == null) {
            return null;
        }
        List<Path> files;
        try {
            files = Arrays.stream(GSON.fromJson(json, String[].class)).map(Path::of).toList();
        } catch (JsonParseException | NullPointerException e) {
            throw new PluginException("\"" + imp.getTitle() + "\" has an unreadable " + DICOM_SERIES + " property");
        }
        List<DicomSeries> series = DicomSeries.scanFiles(files).series();
        if (series.size() != 1 || series.get(0).files().size() != files.size()) {
            throw new PluginException("the DICOM series \"" + imp.getTitle() + "\" was opened from has changed on disk ("
                    + files.get(0).getParent() + "); open it again");
        }
        return series.get(0);
    }

    /** The size (x, y[, z]) and geometry of the file a view was opened from. */
    public record FileGrid(long[] sizeXyz, Geometry geometry) {}

    /** Records that {@code imp} shows the file of this grid in another voxel order. */
    static void setFileGrid(ImagePlus imp, long[] sizeXyz, Geometry g) {
        JsonObject o = json(g);
        o.add("size", GSON.toJsonTree(sizeXyz));
        imp.setProp(FILE_GRID, GSON.toJson(o));
    }

    /** A geometry as the image properties hold it: spacing, origin and direction. */
    private static JsonObject json(Geometry g) {
        JsonObject o = new JsonObject();
        o.add("spacing", GSON.toJsonTree(g.spacingMm()));
        o.add("origin", GSON.toJsonTree(g.originMm()));
        o.add("direction", GSON.toJsonTree(g.direction()));
        return o;
    }

    private static Geometry geometryOf(JsonObject o) {
        return new Geometry(GSON.fromJson(o.get("spacing"), double[].class), GSON.fromJson(o.get("origin"), double[].class),
                GSON.fromJson(o.get("direction"), double[].class));
    }

    /** The grid of the file {@code imp} was opened from when it is shown reoriented, else null. */
    static FileGrid fileGrid(ImagePlus imp) {
        String json = imp.getProp(FILE_GRID);
        if (json == null) {
            return null;
        }
        try {
            JsonObject o = GSON.fromJson(json, JsonObject.class);
            return new FileGrid(GSON.fromJson(o.get("size"), long[].class), geometryOf(o));
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new PluginException("\"" + imp.getTitle() + "\" has an unreadable " + FILE_GRID + " property: " + json);
        }
    }

    /** Black background, then one distinct colour per label value. */
    public static LUT labelLut() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int v = 1; v < 256; v++) {
            Color c = labelColour(v);
            r[v] = (byte) c.getRed();
            g[v] = (byte) c.getGreen();
            b[v] = (byte) c.getBlue();
        }
        return new LUT(r, g, b);
    }

    /** Red, green, blue, yellow, cyan, magenta for labels 1–6, then hues a golden angle apart. */
    public static Color labelColour(int label) {
        Color[] first = {Color.RED, Color.GREEN, new Color(60, 120, 255), Color.YELLOW, Color.CYAN, Color.MAGENTA};
        if (label >= 1 && label <= first.length) {
            return first[label - 1];
        }
        return Color.getHSBColor((float) ((label * 0.618033988749895) % 1.0), 0.8f, 1f);
    }

    private static long[] sizeOf(int w, int h, int slices, Geometry g) {
        return g.numDimensions() == 3 ? new long[] {w, h, slices} : new long[] {w, h};
    }
}
