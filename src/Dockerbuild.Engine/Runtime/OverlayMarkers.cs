using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// The xattrs overlayfs leaves on upperdir directories: "trusted." as root, "user." when mounted
/// with userxattr inside a user namespace.
/// </summary>
internal static class OverlayMarkers
{
    private static readonly string[] OpaqueAttributes = ["trusted.overlay.opaque", "user.overlay.opaque"];
    private static readonly string[] RedirectAttributes = ["trusted.overlay.redirect", "user.overlay.redirect"];

    public static bool IsOpaque(string directory) =>
        OpaqueAttributes.Any(a => UnixFiles.TryLGetXattr(directory, a) is [(byte)'y']);

    public static bool IsRedirected(string directory) =>
        RedirectAttributes.Any(a => UnixFiles.TryLGetXattr(directory, a) is { Length: > 0 });
}
