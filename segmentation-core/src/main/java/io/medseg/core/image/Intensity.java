package io.medseg.core.image;

/**
 * Intensity normalisation applied before the network, stored in the model bundle so inference
 * repeats what training did. {@code ZSCORE}: per image and channel, (v − mean) / std, nnU-Net's
 * scheme for non-CT images such as radiographs.
 */
public enum Intensity {
    ZSCORE;

    /** Normalises a copy of the volume's voxels, channel by channel. */
    public float[] normalize(Volume volume) {
        float[] in = volume.data();
        float[] out = new float[in.length];
        int perChannel = in.length / volume.channels();
        for (int c = 0; c < volume.channels(); c++) {
            double sum = 0;
            double sumSq = 0;
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                sum += in[i];
                sumSq += (double) in[i] * in[i];
            }
            double mean = sum / perChannel;
            double std = Math.sqrt(Math.max(sumSq / perChannel - mean * mean, 0));
            double scale = 1.0 / Math.max(std, 1e-8);
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                out[i] = (float) ((in[i] - mean) * scale);
            }
        }
        return out;
    }
}
