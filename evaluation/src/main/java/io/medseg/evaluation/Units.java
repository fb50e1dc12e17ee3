package io.medseg.evaluation;

/**
 * What the reported lengths, areas and volumes are measured in. Scans with geometry (NIfTI, DICOM)
 * give millimetres; plain PNG/TIFF images carry no spacing, so their distances are pixels and
 * their areas pixels too. Column names in the CSV files stay {@code _mm}/{@code _mL} for a stable
 * schema; {@code summary.json} says which units they hold.
 */
public enum Units {
    MILLIMETRES("mm", "mL", "10³ mm²"),
    PIXELS("px", "10³ px³", "10³ px²");

    private final String length;
    private final String volume;
    private final String area;

    Units(String length, String volume, String area) {
        this.length = length;
        this.volume = volume;
        this.area = area;
    }

    /** Unit of distances: HD95, ASSD, NSD tolerance. */
    public String length() {
        return length;
    }

    /** Unit of the "mL" columns: a volume in 3D, an area (as 10³ of squared units) in 2D. */
    public String amount(boolean planar) {
        return planar ? area : volume;
    }
}
