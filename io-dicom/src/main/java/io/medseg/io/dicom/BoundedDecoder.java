package io.medseg.io.dicom;

import io.medseg.io.ImageFileException;
import io.medseg.io.ReadLimits;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * Runs a third-party ImageIO decoder (the JDK's JPEG, jai-imageio's JPEG 2000) on one frame under a
 * time budget ({@link ReadLimits#decoderMillis(long)}), on a worker thread, so that a decoder which
 * loops on crafted input is abandoned with an error naming the file while the process goes on.
 * Whatever the decoder throws, {@link Error}s included (jj2000 throws its own
 * {@code NotImplementedError}), becomes an {@link ImageFileException}.
 *
 * <p>The frame is handed over as a stream that fails once the frame's bytes are used up (for
 * JPEG 2000) and once the budget has passed: jj2000's packet-header reader takes the −1 of an
 * exhausted stream for a byte of all ones and spins in {@code PktDecoder.readPktHead} forever.
 */
final class BoundedDecoder {
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "medseg-pixel-decoder");
        t.setDaemon(true);
        return t;
    });

    /** Off only in a test that shows what the budget does when a decoder loops. */
    static volatile boolean failAtEndOfFrame = true;

    private BoundedDecoder() {}

    /** @param pixels the frame's pixels (rows × columns), which set the default budget */
    static Raster readRaster(byte[] data, String format, long pixels, DicomFile f) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new ImageFileException(f.path(), "no ImageIO decoder for " + format + " on the class path");
        }
        ImageReader reader = readers.next();
        FrameStream in = new FrameStream(data, failAtEndOfFrame && "jpeg2000".equals(format));
        long budget = ReadLimits.decoderMillis(pixels);
        Future<Raster> decoding = WORKERS.submit(() -> {
            reader.setInput(in);
            return reader.readRaster(0, null);
        });
        try {
            return decoding.get(budget, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            in.abandon();
            decoding.cancel(true);
            throw new ImageFileException(f.path(), f.transferSyntax().describe() + " frame: the decoder did not finish"
                    + " within " + budget / 1000.0 + " s and was abandoned (corrupt or crafted data?; "
                    + ReadLimits.DECODER_SECONDS + " sets the budget)", e);
        } catch (InterruptedException e) {
            in.abandon();
            decoding.cancel(true);
            Thread.currentThread().interrupt();
            throw new ImageFileException(f.path(), "interrupted while decoding a frame", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof OutOfMemoryError ? "the decoder ran out of memory"
                    : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            throw new ImageFileException(f.path(), f.transferSyntax().describe() + " frame could not be decoded: " + why
                    + (f.transferSyntax() == TransferSyntax.JPEG_EXTENDED
                            ? " (the JDK's JPEG decoder reads 8-bit JPEG only, not 12-bit)" : ""), cause);
        } finally {
            if (decoding.isDone() && !decoding.isCancelled()) { // an abandoned decoder may still be running in it
                reader.dispose();
            }
        }
    }

    /** One frame's bytes as an ImageIO stream that refuses to be read past its end or its deadline. */
    static final class FrameStream extends ImageInputStreamImpl {
        private final byte[] data;
        private final boolean failAtEnd;
        private volatile boolean abandoned;

        FrameStream(byte[] data, boolean failAtEnd) {
            this.data = data;
            this.failAtEnd = failAtEnd;
        }

        void abandon() {
            abandoned = true;
        }

        @Override
        public int read() throws IOException {
            check();
            bitOffset = 0;
            if (streamPos >= data.length) {
                if (failAtEnd) {
                    throw new EOFException("the frame's " + data.length + " bytes are used up");
                }
                return -1;
            }
            return data[(int) streamPos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            bitOffset = 0;
            if (len == 0) {
                return 0;
            }
            if (streamPos >= data.length) {
                return -1; // bulk reads report the end as the contract says; only single bytes spin
            }
            int n = (int) Math.min(len, data.length - streamPos);
            System.arraycopy(data, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return data.length;
        }

        private void check() throws IOException {
            if (abandoned) {
                throw new IOException("decoding abandoned");
            }
        }
    }
}
