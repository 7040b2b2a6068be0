namespace Dockerbuild.Oci.Layers;

/// <summary>What the extractor does with the OCI whiteouts of a layer.</summary>
public enum WhiteoutHandling
{
    /// <summary>Applies them to what is already in the root: ".wh.x" deletes x, ".wh..wh..opq" empties the directory of lower content.</summary>
    Apply,

    /// <summary>
    /// Writes them as overlayfs does (a 0/0 character device for ".wh.x", the xattr
    /// trusted.overlay.opaque=y for an opaque directory), so the root can be an overlay lowerdir. Needs root.
    /// </summary>
    Overlay,
}
