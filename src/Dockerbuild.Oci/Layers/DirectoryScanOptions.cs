namespace Dockerbuild.Oci.Layers;

/// <summary>How a directory on disk becomes layer entries.</summary>
public sealed record DirectoryScanOptions
{
    /// <summary>Where the directory lands in the layer, e.g. "app" for COPY . /app; the layer root when empty.</summary>
    public string PathPrefix { get; init; } = "";

    /// <summary>Owner for every entry (COPY --chown); the files' own uid/gid when null.</summary>
    public int? Uid { get; init; }

    public int? Gid { get; init; }

    /// <summary>Keeps files' security.capability xattr (file capabilities such as ping's cap_net_raw).</summary>
    public bool IncludeCapabilities { get; init; } = true;

    /// <summary>
    /// Reads the directory as an overlayfs upperdir: a 0/0 character device becomes the whiteout
    /// ".wh.name" and a directory marked opaque gets ".wh..wh..opq", as containerd's overlay differ writes them.
    /// </summary>
    public bool OverlayWhiteouts { get; init; }
}
