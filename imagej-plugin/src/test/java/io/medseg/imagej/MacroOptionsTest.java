package io.medseg.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Recorded macros of either version mean what they meant. */
class MacroOptionsTest {
    private static final List<MacroOptions.LegacyKey> SEGMENT = List.of(SegmentImagePlugin.LEGACY_KEYS);

    @Test
    void oldKeysAreRenamedAndTheirValuesConverted() {
        assertEquals("image=ct model=abdomen-ct-unet3d overlap=0.50 batch=2 tile-size=128x128x64 mirror device=cpu",
                MacroOptions.translate("image=ct model=abdomen-ct-unet3d tile=0.50 tiles=2 size=64x128x128 mirror "
                        + "device=cpu", SEGMENT));
    }

    @Test
    void newKeysAreLeftAloneEvenWhereAnOldKeyIsPartOfThem() {
        String current = "image=ct overlap=0.5 batch=2 tile-size=96x96x48 outlines";
        assertEquals(current, MacroOptions.translate(current, SEGMENT));
    }

    @Test
    void bracketedValuesAndBareFlagsSurvive() {
        assertEquals("image=[my scan 1] bundle=[/data/a model] add overlap=0.25",
                MacroOptions.translate("image=[my scan 1] bundle=[/data/a model] add tile=0.25", SEGMENT));
    }

    @Test
    void givenBothTheNewKeyWins() {
        assertEquals("overlap=0.25 batch=1", MacroOptions.translate("tile=0.5 overlap=0.25 batch=1", SEGMENT));
    }

    @Test
    void sizesAreReversedFromTensorOrder() {
        assertEquals("128x96x32", MacroOptions.reversedSizes("32x96x128"));
        assertEquals("160x80", MacroOptions.reversedSizes("80X160"));
    }
}
