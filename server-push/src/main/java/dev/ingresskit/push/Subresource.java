package dev.ingresskit.push;

import java.util.Objects;

/**
 * One sub-resource a page refers to, as written in the HTML (character references decoded, URL not yet
 * resolved). Absent attributes are null.
 *
 * @param kind what element and relation it came from
 * @param url the {@code href}/{@code src} as written; null for a {@code <picture><source>}, which has
 *     only {@code srcset}
 * @param as the {@code as} attribute of a preload, lower-cased
 * @param type the {@code type} attribute
 * @param media the {@code media} attribute
 * @param crossOrigin the {@code crossorigin} attribute ({@code ""} when present without a value)
 * @param integrity the {@code integrity} attribute
 * @param fetchPriority the {@code fetchpriority} attribute
 * @param imageSrcset {@code srcset} of an image or {@code imagesrcset} of a preload
 * @param imageSizes {@code sizes} of an image or {@code imagesizes} of a preload
 * @param blocking true for render-blocking resources: stylesheets and classic scripts without
 *     {@code async} or {@code defer}
 */
public record Subresource(Kind kind, String url, String as, String type, String media, String crossOrigin,
        String integrity, String fetchPriority, String imageSrcset, String imageSizes, boolean blocking) {

    /** Where a sub-resource was found. */
    public enum Kind {
        /** {@code <link rel=stylesheet>} (not {@code alternate}, not {@code disabled}). */
        STYLESHEET,
        /** {@code <link rel=preload as=…>}, fonts included. */
        PRELOAD,
        /** {@code <link rel=modulepreload>}. */
        MODULE_PRELOAD,
        /** {@code <link rel=preconnect>}. */
        PRECONNECT,
        /** {@code <link rel=icon>} (and {@code shortcut icon}). */
        ICON,
        /** {@code <script src>} without {@code nomodule}, classic JavaScript. */
        SCRIPT,
        /** {@code <script type=module src>}. */
        MODULE_SCRIPT,
        /** {@code <img src/srcset>} (not {@code loading=lazy}) and {@code <picture><source srcset>}. */
        IMAGE
    }

    public Subresource {
        Objects.requireNonNull(kind, "kind");
        if (url == null && imageSrcset == null) {
            throw new IllegalArgumentException("a sub-resource needs a url or an image srcset");
        }
    }
}
